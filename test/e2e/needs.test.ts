import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/platform/http/form-fields.js';
import { listEvidence } from '../../src/cycle/understand/need-evidence-store.js';
import { listNeeds } from '../../src/cycle/understand/need-store.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { formatAcademicYear } from '../../src/platform/http/views.js';
import { commitImport, previewImport } from '../../src/pupils/import-service.js';
import { currentAcademicYear } from '../../src/cycle/understand/improvement-plan.js';
import { GENERATED_CTF_FACTS, generatedCtf } from '../helpers/acceptance-files.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER = {
  email: 'leader@brookfield.invalid',
  password: 'a long test password 2024',
  name: 'Pat Leader',
};

/** A 1×1 transparent PNG, standing in for a photo of a teacher's notes. */
const PNG_FILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

const NEED_TITLE = 'Persistent absence of disadvantaged pupils in year 7';

/** Returns the text of the summary list row with this key on the current page. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row', {
    has: page.locator('.govuk-summary-list__key', { hasText: key }),
  });
  return ((await row.locator('.govuk-summary-list__value').first().textContent()) ?? '').trim();
}

describe('needs register in a browser', () => {
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
      urn: '140001',
      phase: 'secondary',
    });
    schoolId = school.id;
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

  it('evidences a need and links it to the plan', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    // Save the gap analysis, so that data evidence can quote figures that never change.
    await page.goto(`${baseUrl}/schools/${schoolId}/gaps`);
    await page.getByLabel('Title of the saved analysis').fill('Persistent absence, spring 2025');
    await page.getByRole('button', { name: 'Save this analysis' }).click();
    await page.waitForURL(/\/analyses\/\d+\?notice=saved$/);
    expect(await page.locator('h1').textContent()).toBe('Persistent absence, spring 2025');
    expect(await summaryValue(page, 'Saved by')).toBe(LEADER.name);
    expect(await summaryValue(page, 'Pupils on roll')).toBe(String(GENERATED_CTF_FACTS.pupils));
    await expectNoAxeViolations(page);

    // Record a need through the form and the check-answers page.
    await page.goto(`${baseUrl}/schools/${schoolId}`);
    await page.getByRole('link', { name: 'Needs register' }).click();
    expect(await page.locator('h1').textContent()).toBe('Needs register');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Record a need' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a title for the need',
    );
    await expectNoAxeViolations(page);

    await page.getByLabel('Title').fill(NEED_TITLE);
    await page
      .getByLabel('Description')
      .fill('Every disadvantaged pupil in year 7 missed 10% or more of sessions.');
    await page
      .getByLabel('Which pupils does the need concern? (optional)')
      .fill('disadvantaged and year = 7');
    await page.getByLabel('High', { exact: true }).check();
    await page.getByLabel('Identified', { exact: true }).check();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Continue' }).click();

    expect(await page.locator('h1').textContent()).toBe('Check the need before you record it');
    expect(await summaryValue(page, 'Improvement priority')).toBe('Not linked to a priority');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Record the need' }).click();
    await page.waitForURL(/\/needs\/\d+\?notice=created$/);
    expect(await page.locator('h1').textContent()).toBe(NEED_TITLE);
    await expectNoAxeViolations(page);
    const needUrl = page.url().replace(/\?.*$/, '');

    // Data evidence that quotes the saved analysis.
    await page.getByRole('button', { name: 'Add evidence' }).click();
    expect(await page.locator('h1').textContent()).toBe('Add evidence');
    await expectNoAxeViolations(page);
    await page.getByLabel('Data analysis').check();
    await page.getByLabel('Which saved analysis does it quote?').selectOption({ index: 1 });
    await page.getByLabel('Day').fill('20');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('2025');
    await page
      .getByLabel('What does the evidence show?')
      .fill('All 6 disadvantaged pupils are persistently absent, against none of the other 6.');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/\?notice=evidence$/);

    // A teacher's observation with a photo of their notes.
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.getByLabel('Teacher observation').check();
    const today = londonToday().split('-');
    await page.getByLabel('Day').fill(String(Number(today[2])));
    await page.getByLabel('Month').fill(String(Number(today[1])));
    await page.getByLabel('Year').fill(today[0] ?? '');
    await page
      .getByLabel('What does the evidence show?')
      .fill('Form tutors see the same pupils arrive late on Mondays.');
    await page.setInputFiles('#file', {
      name: 'tutor notes.png',
      mimeType: 'image/png',
      buffer: PNG_FILE,
    });
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/\?notice=evidence$/);
    const evidenceTable = page.locator('table', { hasText: 'Evidence for this need' });
    expect(await evidenceTable.locator('tbody tr').count()).toBe(2);
    expect(await evidenceTable.textContent()).toContain('Persistent absence, spring 2025');
    await expectNoAxeViolations(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download tutor notes\.png/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tutor notes.png');
    expect(readFileSync((await download.path()) ?? '').equals(PNG_FILE)).toBe(true);

    // A barrier from the list, and one the school adds to its own list.
    await page.getByRole('button', { name: 'Add barriers' }).click();
    expect(await page.locator('h1').textContent()).toBe('Add barriers to learning');
    await expectNoAxeViolations(page);
    await page.getByLabel('Low attendance').check();
    await page.getByRole('button', { name: 'Add selected barriers' }).click();
    await page.waitForURL(/\?notice=barriers$/);
    await page.getByRole('button', { name: 'Add barriers' }).click();
    await page
      .getByLabel('Barrier', { exact: true })
      .fill('Long bus journeys from outlying villages');
    await page.getByLabel('External', { exact: true }).check();
    await page.getByRole('button', { name: 'Add this barrier' }).click();
    await page.waitForURL(/\?notice=barriers$/);
    const barrierTable = page.locator('table', { hasText: 'Why these pupils fall behind' });
    expect(await barrierTable.locator('tbody th').allTextContents()).toEqual([
      'Low attendance',
      'Long bus journeys from outlying villages',
    ]);
    await expectNoAxeViolations(page);

    // A priority of the improvement plan, which the need then serves.
    const year = currentAcademicYear(londonToday());
    await page.goto(`${baseUrl}/schools/${schoolId}`);
    await page.getByRole('link', { name: 'School improvement plan' }).click();
    expect(await page.locator('h1').textContent()).toBe(
      `School improvement plan, ${formatAcademicYear(year)}`,
    );
    expect(await page.locator('main').textContent()).toContain(NEED_TITLE);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add a priority' }).click();
    await page.getByLabel(formatAcademicYear(year)).check();
    await page
      .getByLabel('Priority', { exact: true })
      .fill('Raise attendance of disadvantaged pupils');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add priority' }).click();
    await page.waitForURL(/notice=added$/);

    await page.goto(`${needUrl}/edit`);
    await page.getByLabel('Raise attendance of disadvantaged pupils').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?notice=changed$/);
    expect(await summaryValue(page, 'Improvement priority')).toContain(
      'Raise attendance of disadvantaged pupils',
    );

    await page.goto(`${baseUrl}/schools/${schoolId}/improvement-plan`);
    const priorities = page.locator('ol.govuk-list--number');
    expect(await priorities.textContent()).toContain(NEED_TITLE);
    expect(await page.locator('main').textContent()).toContain('Every need serves a priority');
    await expectNoAxeViolations(page);

    const [need] = await listNeeds(testApp.database.db, schoolId);
    expect(need?.evidenceCount).toBe(2);
    const evidence = await listEvidence(testApp.database.db, schoolId, need?.id ?? 0);
    expect(evidence.map((item) => item.kind).sort()).toEqual([
      'data_analysis',
      'teacher_observation',
    ]);
    await context.close();
  }, 120_000);
});
