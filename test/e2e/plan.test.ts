import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchool,
  setDelegatedLimit,
} from '../../src/platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../src/pupils/import-service.js';
import { GENERATED_CTF_FACTS, generatedCtf } from '../helpers/acceptance-files.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { extractDocxText } from '../helpers/docx-text.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

/**
 * The Plan step as a senior leader meets it: from a gap in the data to an approved plan with
 * two SMART outcomes and its Word document. The school has 12 pupils in year 7; the 6
 * disadvantaged ones each missed 40 of 300 sessions (86.7% attendance, all persistently
 * absent) and the others 10 of 300.
 */

const LEADER = {
  email: 'leader@brookfield.invalid',
  password: 'a long test password 2024',
  name: 'Pat Leader',
};
const NEED_TITLE = 'Persistent absence of disadvantaged pupils in year 7';
const RULE = 'disadvantaged and year = 7';
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);

async function fillDate(page: Page, legend: string, day: string, month: string, year: string) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}

describe('commissioning plan in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let schoolId: number;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    baseUrl = testApp.baseUrl ?? '';
    const { db } = testApp.database;
    const school = await createSchool(db, {
      name: 'Brookfield Academy',
      laestab: GENERATED_CTF_FACTS.laestab,
      phase: 'secondary',
    });
    schoolId = school.id;
    await setDelegatedLimit(db, school.id, 1_000_000);
    await createUserWithRole(db, { ...LEADER, organisationId: school.id, role: 'senior_leader' });
    const limits = { maxBytes: 20 * 1024 * 1024 };
    const preview = await previewImport(
      db,
      { organisationId: school.id, fileName: 'pupils.xml', content: generatedCtf() },
      limits,
    );
    await commitImport(
      db,
      school.id,
      preview.importId as number,
      { confirmOtherSchool: false },
      limits,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('takes a gap to an approved plan and its Word document', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    // The evidence: a saved copy of the gap analysis.
    await page.goto(`${baseUrl}/schools/${schoolId}/gaps`);
    await page.getByLabel('Title of the saved analysis').fill('Absence gap, 2024/25');
    await page.getByRole('button', { name: 'Save this analysis' }).click();
    await page.waitForURL(/\/analyses\/\d+\?notice=saved$/);

    // The need, with the pupils it concerns as a rule, and the analysis as its evidence.
    await page.goto(`${baseUrl}/schools/${schoolId}/needs`);
    await page.getByRole('button', { name: 'Record a need' }).click();
    await page.getByLabel('Title').fill(NEED_TITLE);
    await page.getByLabel('Description').fill('All six disadvantaged pupils miss 10% or more.');
    await page.getByLabel('Which pupils does the need concern? (optional)').fill(RULE);
    await expect
      .poll(() => page.locator('#audience-preview').textContent())
      .toContain('6 pupils of 12 on roll in 2024/25 match this rule');
    await page.getByLabel('High', { exact: true }).check();
    await page.getByLabel('Identified', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Record the need' }).click();
    await page.waitForURL(/\/needs\/\d+\?notice=created$/);
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.getByLabel('Data analysis').check();
    await page.getByLabel('Which saved analysis does it quote?').selectOption({ index: 1 });
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('9');
    await page.getByLabel('Year').fill('2025');
    await page
      .getByLabel('What does the evidence show?')
      .fill('Every disadvantaged pupil is persistently absent, against none of the others.');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/\?notice=evidence$/);

    // A plan for the need.
    await page.getByRole('button', { name: 'Start a plan for this need' }).click();
    expect(await page.locator('h1').textContent()).toBe('Start a commissioning plan');
    await expectNoAxeViolations(page);
    await page.getByLabel('Title of the plan').fill('Attendance mentoring');
    await page.getByRole('button', { name: 'Start plan' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    const planUrl = page.url();
    await expectNoAxeViolations(page);

    // Its details: a rule for the audience, with its live count, and a bad budget first.
    await page.goto(`${planUrl}/details`);
    await page.getByLabel(/Target audience/).fill(RULE);
    await expect
      .poll(() => page.locator('#audienceRule-preview').textContent())
      .toContain('6 pupils of 12 on roll');
    await page
      .getByLabel('How does the plan serve that priority?')
      .fill('Attendance is a priority.');
    await fillDate(page, 'Start date', '5', '1', NEXT_YEAR);
    await fillDate(page, 'End date', '30', '6', NEXT_YEAR);
    await page.getByLabel('Budget').fill('-3,000');
    await page.getByLabel('Staff time').fill('40');
    await page.getByLabel('Key contact').fill('Ms Patel');
    await page.getByRole('button', { name: 'Save details' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Budget must be £0 or more',
    );
    expect(await page.getByLabel('Key contact').inputValue()).toBe('Ms Patel');
    // The form comes back with the rule's count, without another keystroke.
    await expect
      .poll(() => page.locator('#audienceRule-preview').textContent())
      .toContain('6 pupils of 12 on roll');
    await expectNoAxeViolations(page);
    await page.getByLabel('Budget').fill('3,000');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.waitForURL(planUrl);

    // Two SMART outcomes, with baselines from the data.
    await page.getByRole('button', { name: 'Add an outcome' }).click();
    await expectNoAxeViolations(page);
    await page
      .getByLabel('What change do you want to see?')
      .fill('Halve persistent absence among the mentored pupils by June');
    await page.getByLabel('How will the change be measured?').selectOption('persistent_absence');
    await page.getByLabel('Target', { exact: true }).fill('50');
    await fillDate(page, 'By when?', '30', '6', NEXT_YEAR);
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.waitForURL(`${planUrl}#outcomes`);

    await page.getByRole('button', { name: 'Add an outcome' }).click();
    await page
      .getByLabel('What change do you want to see?')
      .fill('Raise attendance of the mentored pupils from 86.7% to 92%');
    await page.getByLabel('How will the change be measured?').selectOption('attendance_rate');
    await page.getByLabel('Target', { exact: true }).fill('80');
    await fillDate(page, 'By when?', '30', '6', NEXT_YEAR);
    await page.getByRole('button', { name: 'Save outcome' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'The baseline is already 86.7%, which meets this target',
    );
    await expectNoAxeViolations(page);
    await page.getByLabel('Target', { exact: true }).fill('92');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.waitForURL(`${planUrl}#outcomes`);

    const outcomes = page.locator('.govuk-summary-card');
    expect(await outcomes.count()).toBe(2);
    expect(await outcomes.nth(0).textContent()).toContain('100.0% (6 pupils, 2024/25; fixed on');
    expect(await outcomes.nth(1).textContent()).toContain('86.7% (6 pupils, 2024/25; fixed on');
    await expectNoAxeViolations(page);

    // Submit, then approve within the £10,000 delegated limit.
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.waitForURL(/\?submitted=1$/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Plan submitted for approval',
    );
    expect(await page.locator('main .govuk-tag').first().textContent()).toContain(
      'Submitted for approval',
    );
    await page.getByLabel('Approve the plan').check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.waitForURL(/\?decided=approved$/);
    expect(await page.locator('main .govuk-tag').first().textContent()).toContain('Approved');
    expect(await page.locator('main').textContent()).toContain(
      'Senior leader approval: budget £3,000.00, within the delegated limit of £10,000.00',
    );
    await expectNoAxeViolations(page);

    // The Word document carries the plan as approved.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download as a Word document' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^plan-\d+-version-1\.docx$/);
    const text = await extractDocxText(readFileSync((await download.path()) ?? ''));
    expect(text).toContain('Attendance mentoring');
    expect(text).toContain(NEED_TITLE);
    expect(text).toContain('Halve persistent absence among the mentored pupils by June');
    expect(text).toContain('Raise attendance of the mentored pupils from 86.7% to 92%');
    expect(text).toContain(RULE);
    expect(text).toContain('£3,000.00');
    expect(text).toContain('Senior leader approval');
    await context.close();
  }, 120_000);
});
