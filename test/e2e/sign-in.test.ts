import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const PASSWORD = 'copper meadow violin 42';
const NEW_PASSWORD = 'harbour lantern thistle 7';

describe('sign-in in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let schoolId: number;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    baseUrl = testApp.baseUrl ?? '';
    schoolId = (
      await createSchool(testApp.database.db, { name: 'Brookfield Academy', laestab: '8014001' })
    ).id;
    await createUserWithRole(testApp.database.db, {
      email: 'sam.head@brookfield.invalid',
      password: PASSWORD,
      organisationId: schoolId,
      role: 'senior_leader',
      name: 'Sam Head',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('signs in, changes password, signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${baseUrl}/schools/${schoolId}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.locator('h1').textContent()).toBe('Sign in to Commissioner');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.title()).toBe('Error: Sign in to Commissioner – Commissioner');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter your email address',
    );
    await expectNoAxeViolations(page);

    await page.getByLabel('Email address').fill('sam.head@brookfield.invalid');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a correct email address and password',
    );
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseUrl}/schools/${schoolId}`);
    expect(await page.locator('header').textContent()).toContain('Sam Head');

    await page.getByRole('link', { name: 'Your account' }).click();
    expect(await page.locator('h1').textContent()).toBe('Your account');
    expect(await page.locator('main').textContent()).toContain('Senior leader');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Change your password' }).click();
    expect(await page.locator('h1').textContent()).toBe('Change your password');
    await expectNoAxeViolations(page);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Password must be 12 characters or more',
    );
    await expectNoAxeViolations(page);

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${baseUrl}/account?password-changed=1`);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your password has been changed',
    );
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in?signed-out=1`);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'You have signed out',
    );
    await expectNoAxeViolations(page);
    await page.goto(`${baseUrl}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  }, 120_000);

  it('helper signs in and reports failure', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await expect(
      signInInBrowser(page, baseUrl, 'sam.head@brookfield.invalid', 'wrong password'),
    ).rejects.toThrow(/Enter a correct email address and password/);
    await signInInBrowser(page, baseUrl, 'sam.head@brookfield.invalid', NEW_PASSWORD);

    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('header').textContent()).toContain('Sam Head');
    await context.close();
  }, 60_000);
});
