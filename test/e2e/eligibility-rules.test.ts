import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../src/pupils/import-service.js';
import { GENERATED_CTF_FACTS, generatedCtf } from '../helpers/acceptance-files.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER = { email: 'leader@brookfield.invalid', password: 'a long test password 2024' };

/** The generated CTF's 12 pupils include 6 disadvantaged ones, all persistently absent. */
const DISADVANTAGED_STATUS = '6 pupils of 12 on roll in 2024/25 match this rule (50.0%).';

describe('eligibility rules in a browser', () => {
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
    await createUserWithRole(db, { ...LEADER, organisationId: school.id, role: 'senior_leader' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('updates the count as a rule is typed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/schools/${schoolId}`);
    await page.getByRole('link', { name: 'Check an eligibility rule' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check an eligibility rule');
    await expectNoAxeViolations(page);
    const pageUrl = page.url();
    const status = page.getByRole('status');

    await page.getByLabel('Rule', { exact: true }).fill('disadvantaged');

    await expect.poll(() => status.textContent()).toBe(DISADVANTAGED_STATUS);
    expect(page.url()).toBe(pageUrl);
    await page.getByText('Make-up of these pupils against the whole school').click();
    const disadvantagedRow = page.locator('tr', { hasText: 'Disadvantaged' }).first();
    expect(await disadvantagedRow.locator('td').allTextContents()).toEqual([
      '6',
      '100.0%',
      '6',
      '50.0%',
    ]);
    await expectNoAxeViolations(page);

    await page.getByLabel('Rule', { exact: true }).fill('disadvantaged and attendance < 90');

    await expect.poll(() => status.textContent()).toContain('Missing % after 90');
    expect(await page.locator('.app-rule-snippet__mark').textContent()).toBe('90');
    await expectNoAxeViolations(page);

    await page.getByLabel('Rule', { exact: true }).fill('persistent_absence and year = 7');

    await expect.poll(() => status.textContent()).toBe(DISADVANTAGED_STATUS);
    // The section the user opened stays open when the preview is replaced.
    expect(await page.locator('details').first().getAttribute('open')).not.toBeNull();

    await context.close();
  }, 90_000);

  it('checks a rule without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);
    await page.goto(`${baseUrl}/schools/${schoolId}/rules`);

    await page.getByLabel('Academic year').selectOption('2024');
    await page.getByLabel('Rule', { exact: true }).fill('disadvantaged');
    await page.getByRole('button', { name: 'Check rule' }).click();

    await page.waitForURL(/\/rules\?year=2024&rule=disadvantaged$/);
    expect(await page.locator('[data-rule-status]').textContent()).toBe(DISADVANTAGED_STATUS);

    await page.getByLabel('Rule', { exact: true }).fill('attendence < 90%');
    await page.getByRole('button', { name: 'Check rule' }).click();

    await page.waitForURL(/rule=attendence/);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Unknown field “attendence”, at character 1. Did you mean attendance?',
    );
    expect(await page.getByLabel('Rule', { exact: true }).inputValue()).toBe('attendence < 90%');

    await context.close();
  }, 90_000);

  it('builds a rule without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);
    await page.goto(`${baseUrl}/schools/${schoolId}/rules`);
    const firstCondition = page.getByRole('group', { name: 'Condition 1' });
    const secondCondition = page.getByRole('group', { name: 'Condition 2' });

    await firstCondition.getByLabel('Field').selectOption('disadvantaged');
    await secondCondition.getByLabel('Field').selectOption('attendance');
    await secondCondition.getByLabel('Comparison').selectOption('less');
    await secondCondition.getByLabel('Value').fill('90');
    await page.getByRole('button', { name: 'Write the rule' }).click();

    await page.waitForURL(/mode=builder/);
    expect(await page.getByLabel('Rule', { exact: true }).inputValue()).toBe(
      'disadvantaged and attendance < 90%',
    );
    expect(await page.locator('[data-rule-status]').textContent()).toBe(DISADVANTAGED_STATUS);

    await context.close();
  }, 90_000);

  it('help and error states pass axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${baseUrl}/help/eligibility-rules`);
    expect(await page.locator('h1').textContent()).toBe('How to write an eligibility rule');
    await expectNoAxeViolations(page);

    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);
    await page.goto(
      `${baseUrl}/schools/${schoolId}/rules?rule=${encodeURIComponent('year < 90%')}`,
    );
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'year is a year group, not a percentage',
    );
    await expectNoAxeViolations(page);

    const builderQuery = 'mode=builder&combine=all&field-1=year&operator-1=is&value-1=14';
    await page.goto(`${baseUrl}/schools/${schoolId}/rules?${builderQuery}`);
    expect(await page.locator('#value-1-error').textContent()).toContain(
      'year 14 is outside R to 13',
    );
    await expectNoAxeViolations(page);

    await context.close();
  }, 90_000);
});
