import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createPlanRow } from '../helpers/plans.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER = { email: 'leader@brookfield.invalid', password: 'a long test password 2024' };

/** Returns the text of a summary list row's value, found by its key. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row', {
    has: page.locator('.govuk-summary-list__key', { hasText: key }),
  });
  return ((await row.first().locator('.govuk-summary-list__value').textContent()) ?? '').trim();
}

describe('finance step in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    baseUrl = testApp.baseUrl ?? '';
    const school = await createSchool(testApp.database.db, {
      name: 'Brookfield Academy',
      laestab: '8014001',
      phase: 'secondary',
    });
    await createPlanRow(testApp.database.db, school.id, {
      title: 'Mentoring for years 8 and 9',
      budgetPence: 700_000,
      staffHours: 40,
      startDate: '2025-09-01',
      endDate: '2026-07-17',
    });
    await createUserWithRole(testApp.database.db, {
      ...LEADER,
      organisationId: school.id,
      role: 'senior_leader',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('funds a plan and settles its results', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    await page.getByRole('link', { name: 'Finance and Pupil Premium' }).click();
    expect(await page.locator('h1').textContent()).toBe('Finance');
    const planRow = page.locator('tr', { hasText: 'Mentoring for years 8 and 9' });
    expect(await planRow.textContent()).toContain('Not fully funded');
    await expectNoAxeViolations(page);

    await planRow.getByRole('link', { name: 'Mentoring for years 8 and 9' }).click();
    expect(await page.locator('h1').textContent()).toBe('Mentoring for years 8 and 9');
    await expectNoAxeViolations(page);

    // Pupil Premium, with a typo the first time.
    await page.getByRole('button', { name: 'Add funding' }).click();
    await page.getByLabel('Pupil Premium', { exact: true }).check();
    await page.getByLabel('Pupil Premium financial year').selectOption('2025');
    await page.getByLabel('Amount').fill('4,000.555');
    await page.getByLabel('Secured').check();
    await page.getByRole('button', { name: 'Save funding' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Amount must have no more than 2 decimal places',
    );
    expect(await page.getByLabel('Amount').inputValue()).toBe('4,000.555');
    await expectNoAxeViolations(page);
    await page
      .getByRole('link', { name: 'Amount must have no more than 2 decimal places' })
      .click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'amount',
    );
    await page.getByLabel('Amount').fill('4,000');
    await page.getByRole('button', { name: 'Save funding' }).click();
    await page.waitForURL(/\/finance\?saved=funding$/);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'Funding saved',
    );
    expect(await page.locator('.govuk-tag', { hasText: 'funded' }).first().textContent()).toContain(
      'Not fully funded',
    );

    await page.getByRole('button', { name: 'Add funding' }).click();
    await page.getByLabel('Charitable grant').check();
    await page.getByLabel('Funder (optional)').fill('Brookfield Education Trust');
    await page.getByLabel('Amount').fill('3000');
    await page.getByLabel('Secured').check();
    await page.getByRole('button', { name: 'Save funding' }).click();
    await page.waitForURL(/\/finance\?saved=funding$/);
    expect(await summaryValue(page, 'Secured, received or spent')).toBe('£7,000.00');
    expect((await page.locator('main .govuk-tag').first().textContent())?.trim()).toBe(
      'Fully funded',
    );
    await expectNoAxeViolations(page);

    // Payment by results: the kind is one question, and its details the next.
    await page.getByRole('button', { name: 'Set the payment model' }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Payment by results').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/payment-model\?kind=payment_by_results$/);
    await page.getByLabel('Up-front payment').fill('2,500');
    await page.getByLabel('Cap (optional)').fill('7,000');
    const tariff1 = page.getByRole('group', { name: 'Tariff 1' });
    await tariff1
      .getByLabel('Outcome paid for')
      .fill('A pupil whose attendance rises to 90% or more');
    await tariff1.getByLabel('Price for each outcome').fill('400');
    await tariff1.getByLabel('Evidence each outcome needs').fill('Attendance report');
    await tariff1.getByLabel('Number of these outcomes hoped for').fill('12');
    await tariff1
      .getByLabel('Cost each outcome avoids (optional)')
      .selectOption('persistent_truant');
    const tariff2 = page.getByRole('group', { name: 'Tariff 2' });
    await tariff2.getByLabel('Outcome paid for').fill('No suspension this year');
    await tariff2.getByLabel('Price for each outcome').fill('300');
    await tariff2.getByLabel('Evidence each outcome needs').fill('Behaviour log');
    await tariff2.getByLabel('Number of these outcomes hoped for').fill('8');
    await page.getByLabel('Number of instalments').fill('3');
    await page.getByLabel('Every month').check();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save payment model' }).click();
    await page.waitForURL(/\/finance\?saved=payment-model$/);
    const schedule = page.locator('table', { hasText: 'Payment schedule' });
    expect(await schedule.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/1\s+1 September 2025\s+£833\.33/),
      expect.stringMatching(/2\s+1 October 2025\s+£833\.33/),
      expect.stringMatching(/3\s+1 November 2025\s+£833\.34/),
    ]);
    await expectNoAxeViolations(page);

    // Settlement: one evidenced outcome and one disputed.
    await page
      .getByRole('link', { name: 'Settlement: what is owed for evidenced outcomes' })
      .click();
    await page
      .getByLabel('Outcome claimed')
      .selectOption({ label: 'Tariff 1: A pupil whose attendance rises to 90% or more' });
    await page.getByLabel('Pupil or unit reference').fill('P-01');
    await page.getByLabel('Evidenced', { exact: true }).check();
    await page.getByLabel('Where the evidence is').fill('Attendance report, July 2026');
    await page.getByRole('button', { name: 'Record outcome' }).click();
    await page.waitForURL(/\/settlement\?saved=outcome$/);

    await page
      .getByLabel('Outcome claimed')
      .selectOption({ label: 'Tariff 2: No suspension this year' });
    await page.getByLabel('Pupil or unit reference').fill('P-02');
    await page.getByLabel('Evidenced', { exact: true }).check();
    await page.getByLabel('Where the evidence is').fill('Behaviour log, July 2026');
    await page.getByLabel('The school and the provider disagree about this outcome').check();
    await page.getByRole('button', { name: 'Record outcome' }).click();
    await page.waitForURL(/\/settlement\?saved=outcome$/);

    expect(await summaryValue(page, 'Outcome payments owed')).toBe('£400.00');
    expect(await summaryValue(page, 'Total under the contract')).toBe('£2,900.00');
    expect(await summaryValue(page, 'Held back for disputes')).toContain('£300.00');
    const rows = page.locator('table tbody tr');
    expect(await rows.nth(0).textContent()).toContain('Paid');
    expect(await rows.nth(1).textContent()).toContain(
      'Disputed: not paid until the dispute is resolved',
    );
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/help/finance`);
    await expectNoAxeViolations(page);

    await context.close();
  }, 120_000);

  it('finance pages work without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    await page.getByRole('link', { name: 'Finance and Pupil Premium' }).click();
    await page.getByRole('link', { name: 'Pupil Premium: allocation and spending' }).click();
    await page.getByLabel('Financial year, April to March').selectOption('2025');
    await page.getByRole('button', { name: 'Show this year' }).click();

    await page.waitForURL(/\/pupil-premium\?year=2025$/);
    expect(await page.locator('h1').textContent()).toBe('Pupil Premium, 2025-26');
    expect(await page.locator('main').textContent()).toContain(
      'There are no pupil records for 2024/25',
    );
    await context.close();
  }, 60_000);
});
