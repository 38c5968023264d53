import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { extractDocxText, findLineOutOfOrder } from '../helpers/docx-text.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';
import { seedStrategySchool } from '../helpers/strategy-school.js';

const LEADER = { email: 'leader@brookfield.invalid', password: 'a long test password 2024' };

describe('strategy statement in a browser', () => {
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
    await seedStrategySchool(testApp.database.db, school.id);
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

  it('fills in and downloads a statement', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    await page.getByRole('link', { name: 'Finance and Pupil Premium' }).click();
    await page.getByRole('link', { name: 'Pupil Premium strategy statement' }).click();
    await page.getByLabel('Financial year, April to March').selectOption('2025');
    await page.getByRole('button', { name: 'Show this year' }).click();
    await page.waitForURL(/\/finance\/strategy-statement\?year=2025$/);
    expect(await page.locator('h1').textContent()).toBe(
      'Pupil Premium strategy statement, 2025-26',
    );
    await expectNoAxeViolations(page);

    // The details, with a review date before the publication date the first time.
    await page.getByRole('button', { name: 'Enter statement details' }).click();
    await page.getByLabel('Statement of intent').fill('Every pupil attends school every day.');
    await page.getByLabel('Statement authorised by').fill('Mrs K Shah, headteacher');
    await page.getByLabel('Pupil Premium lead').fill('Mr J Okafor');
    await page.getByLabel('Governor or trustee lead').fill('Dr R Evans');
    const published = page.getByRole('group', { name: 'Date published' });
    await published.getByLabel('Day').fill('15');
    await published.getByLabel('Month').fill('12');
    await published.getByLabel('Year').fill('2025');
    const review = page.getByRole('group', { name: 'Date of next review' });
    await review.getByLabel('Day').fill('1');
    await review.getByLabel('Month').fill('12');
    await review.getByLabel('Year').fill('2025');
    await page.getByLabel('Pupil Premium carried forward from previous years').fill('0');
    await page
      .getByRole('group', { name: 'Attendance mentoring' })
      .getByLabel('Wider strategies')
      .check();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save statement details' }).click();

    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Date of next review must be after the date published',
    );
    expect(await review.getByLabel('Day').inputValue()).toBe('1');
    expect(await page.getByLabel('Governor or trustee lead').inputValue()).toBe('Dr R Evans');
    await expectNoAxeViolations(page);
    await review.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Save statement details' }).click();
    await page.waitForURL(/\/finance\/strategy-statement\?year=2025&saved=inputs$/);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'Statement details saved',
    );
    await expectNoAxeViolations(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the statement as a Word document' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('pupil-premium-strategy-statement-2025-26.docx');
    const text = await extractDocxText(await readFile(await download.path()));
    expect(
      findLineOutOfOrder(text, [
        'School name | Brookfield Academy',
        'Date of next review | 1 December 2026',
        'Total budget for this academic year | £4,055.00',
        'Every pupil attends school every day.',
        '1 | Persistent absence',
        'Total budgeted cost of activity: £7,000.00',
      ]),
    ).toBeNull();

    await context.close();
  }, 120_000);
});
