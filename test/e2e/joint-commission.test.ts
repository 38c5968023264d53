import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createPlanRow } from '../helpers/plans.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const PASSWORD = 'a long test password 2024';
const LEADER = { email: 'leader@brookfield.invalid', password: PASSWORD };
const OFFICER = { email: 'officer@oak-trust.invalid', password: PASSWORD };
const PARTNER = { email: 'leader@riverside.invalid', password: PASSWORD };

/** Returns the text of each body row of the table with this caption, cells joined by `|`. */
async function tableRows(page: Page, caption: string): Promise<string[]> {
  const table = page.locator('table', {
    has: page.locator('caption', { hasText: caption }),
  });
  const rows = table.locator('tbody tr');
  const texts: string[] = [];
  for (let index = 0; index < (await rows.count()); index += 1) {
    const cells = await rows.nth(index).locator('th, td').allTextContents();
    texts.push(cells.map((cell) => cell.trim()).join('|'));
  }
  return texts;
}

describe('joint commissioning in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let trustId: number;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    baseUrl = testApp.baseUrl ?? '';
    const { db } = testApp.database;
    const trust = await db
      .insertInto('organisations')
      .values({ kind: 'trust', name: 'Oak Learning Trust', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    trustId = trust.id;
    const lead = await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' });
    const riverside = await createSchool(db, { laestab: '8014002', name: 'Riverside Primary' });
    const hilltop = await createSchool(db, { laestab: '8014003', name: 'Hilltop School' });
    await db
      .updateTable('organisations')
      .set({ parent_id: trustId })
      .where('id', 'in', [lead.id, riverside.id, hilltop.id])
      .execute();
    await createPlanRow(db, lead.id, {
      title: 'Mentoring for years 8 and 9',
      budgetPence: 1_000_000,
    });
    await createUserWithRole(db, { ...LEADER, organisationId: lead.id, role: 'senior_leader' });
    await createUserWithRole(db, { ...OFFICER, organisationId: trustId, role: 'trust_officer' });
    await createUserWithRole(db, {
      ...PARTNER,
      organisationId: riverside.id,
      role: 'senior_leader',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('shares a cost across the trust', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    await page.getByRole('link', { name: 'Finance and Pupil Premium' }).click();
    await page.getByRole('link', { name: 'Mentoring for years 8 and 9' }).click();
    await page
      .getByRole('link', { name: 'Share the cost with other schools of the trust' })
      .click();
    expect(await page.locator('h1').textContent()).toBe('Joint commissioning');
    await expectNoAxeViolations(page);

    // The first page asks which schools share the cost and on what basis. It is sent empty first.
    await page.getByRole('button', { name: 'Share the cost with other schools' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Choose at least one school to share the cost',
    );
    await expectNoAxeViolations(page);
    await page.getByLabel('Riverside Primary').check();
    await page.getByLabel('Hilltop School').check();
    await page.getByLabel('By agreed percentages').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/joint-commission\/shares\?/);
    expect((await page.locator('h1').textContent())?.trim()).toBe('Enter each school’s figure');

    // Percentages that add up to 90%: the message appears above the figures and nothing is saved.
    await page.getByLabel('Percentage for Brookfield Academy (lead school)').fill('40');
    await page.getByLabel('Percentage for Hilltop School').fill('25');
    await page.getByLabel('Percentage for Riverside Primary').fill('25');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Shares add up to 90%. They must add up to 100%',
    );
    expect(await page.locator('#figures-error').textContent()).toContain('Shares add up to 90%');
    expect(await page.getByLabel('Percentage for Riverside Primary').inputValue()).toBe('25');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Shares add up to 90%' }).click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toMatch(
      /^figure-\d+$/,
    );

    // 33.33% of £10,000.00 is exactly £3,333.00, and 33.34% is £3,334.00.
    await page.getByLabel('Percentage for Brookfield Academy (lead school)').fill('33.34');
    await page.getByLabel('Percentage for Hilltop School').fill('33.33');
    await page.getByLabel('Percentage for Riverside Primary').fill('33.33%');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect((await page.locator('h1').textContent())?.trim()).toBe('Check the shares before saving');
    expect(await tableRows(page, 'Each school’s share')).toEqual([
      'Brookfield Academy (lead school)|33.34%|£3,334.00',
      'Hilltop School|33.33%|£3,333.00',
      'Riverside Primary|33.33%|£3,333.00',
      'Total||£10,000.00',
    ]);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save shares' }).click();
    await page.waitForURL(/\/joint-commission\?saved=shares$/);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'Shares saved',
    );
    expect(await tableRows(page, 'Shares of £10,000.00')).toEqual([
      'Brookfield Academy (lead school)|33.34%|£3,334.00',
      'Hilltop School|33.33%|£3,333.00',
      'Riverside Primary|33.33%|£3,333.00',
      'Total||£10,000.00',
    ]);
    await expectNoAxeViolations(page);
    await context.close();

    const officerContext = await browser.newContext();
    const officerPage = await officerContext.newPage();
    await signInInBrowser(officerPage, baseUrl, OFFICER.email, OFFICER.password);
    await officerPage.goto(`${baseUrl}/`);
    await officerPage
      .getByRole('link', { name: 'Joint commissions of Oak Learning Trust' })
      .click();
    expect((await officerPage.locator('h1').textContent())?.trim()).toBe('Joint commissions');
    expect(await tableRows(officerPage, 'Mentoring for years 8 and 9')).toEqual([
      'Brookfield Academy (lead school)|33.34%|£3,334.00',
      'Hilltop School|33.33%|£3,333.00',
      'Riverside Primary|33.33%|£3,333.00',
      'Total||£10,000.00',
    ]);
    await expectNoAxeViolations(officerPage);
    const [download] = await Promise.all([
      officerPage.waitForEvent('download'),
      officerPage.getByRole('link', { name: 'Download every share (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^joint-commissions-${trustId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    await officerContext.close();

    const partnerContext = await browser.newContext();
    const partnerPage = await partnerContext.newPage();
    await signInInBrowser(partnerPage, baseUrl, PARTNER.email, PARTNER.password);
    await partnerPage.getByRole('link', { name: 'Riverside Primary' }).click();
    await partnerPage.getByRole('link', { name: 'Finance and Pupil Premium' }).click();
    await expectNoAxeViolations(partnerPage);
    await partnerPage.getByRole('link', { name: 'Mentoring for years 8 and 9' }).click();
    expect(await partnerPage.locator('main').textContent()).toContain('£3,333.00');
    expect(await partnerPage.locator('main').textContent()).not.toContain('Hilltop School');
    await expectNoAxeViolations(partnerPage);
    await partnerContext.close();
  }, 120_000);
});
