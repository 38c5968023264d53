import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../src/pupils/import-service.js';
import { GENERATED_CTF_FACTS, generatedCtf } from '../helpers/acceptance-files.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER_PASSWORD = 'kettle orchard lantern 17';
const GOVERNOR_PASSWORD = 'violet harbour tractor 58';

describe('accounts in a browser', () => {
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
    await createSchool(db, { name: 'Riverside School', laestab: '8014002', phase: 'primary' });

    const limits = { maxBytes: 20 * 1024 * 1024 };
    const preview = await previewImport(
      db,
      { organisationId: school.id, fileName: 'pupils.xml', content: generatedCtf() },
      limits,
    );
    await commitImport(db, school.id, preview.importId ?? 0, { confirmOtherSchool: false }, limits);

    await createUserWithRole(db, {
      email: 'head@brookfield.invalid',
      password: LEADER_PASSWORD,
      organisationId: school.id,
      role: 'senior_leader',
      name: 'Sam Head',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('invites a governor who signs up', async () => {
    const leaderContext = await browser.newContext();
    const leader = await leaderContext.newPage();
    await signInInBrowser(leader, baseUrl, 'head@brookfield.invalid', LEADER_PASSWORD);

    await leader.goto(`${baseUrl}/schools/${schoolId}/people`);
    expect(await leader.locator('h1').textContent()).toBe('People with access');
    await expectNoAxeViolations(leader);

    await leader.getByRole('button', { name: 'Invite someone' }).click();
    await leader.waitForURL(/\/people\/invite$/);
    expect(await leader.locator('h1').textContent()).toBe('Invite someone');
    await expectNoAxeViolations(leader);

    await leader.getByRole('button', { name: 'Send invitation' }).click();
    expect(await leader.locator('.govuk-error-summary').textContent()).toContain(
      'Enter an email address',
    );
    await expectNoAxeViolations(leader);

    await leader.getByLabel('Email address').fill('jo.governor@brookfield.invalid');
    await leader.getByLabel('Governor or trustee').check();
    await leader.getByRole('button', { name: 'Send invitation' }).click();
    expect(await leader.locator('h1').textContent()).toBe('Invitation created');
    expect(await leader.locator('.govuk-warning-text').textContent()).toContain(
      'Treat this link like a password',
    );
    await expectNoAxeViolations(leader);
    const link = await leader.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invitations/[A-Za-z0-9_-]{43}$`));

    await leader.goto(`${baseUrl}/schools/${schoolId}/people`);
    expect(
      await leader.locator('table', { hasText: 'Link stops working' }).textContent(),
    ).toContain('jo.governor@brookfield.invalid');
    await expectNoAxeViolations(leader);
    await leaderContext.close();

    const governorContext = await browser.newContext();
    const governor = await governorContext.newPage();
    await governor.goto(link);
    expect(await governor.locator('h1').textContent()).toBe('Accept your invitation');
    expect(await governor.locator('.govuk-summary-list').textContent()).toContain(
      'Governor or trustee',
    );
    await expectNoAxeViolations(governor);

    await governor.getByRole('button', { name: 'Create account and accept' }).click();
    expect(await governor.locator('.govuk-error-summary').textContent()).toContain(
      'Enter your full name',
    );
    await expectNoAxeViolations(governor);

    await governor.getByLabel('Full name').fill('Jo Governor');
    await governor.getByLabel('Create a password').fill(GOVERNOR_PASSWORD);
    await governor.getByLabel('Confirm password').fill(GOVERNOR_PASSWORD);
    await governor.getByRole('button', { name: 'Create account and accept' }).click();
    await governor.waitForURL(`${baseUrl}/schools/${schoolId}`);
    expect(await governor.locator('h1').textContent()).toBe('Brookfield Academy');
    expect(await governor.locator('header').textContent()).toContain('Jo Governor');

    await governor.goto(`${baseUrl}/`);
    const schools = governor.locator('table');
    expect(await schools.textContent()).toContain('Brookfield Academy');
    expect(await schools.textContent()).not.toContain('Riverside School');

    const gaps = await governor.goto(`${baseUrl}/schools/${schoolId}/gaps`);
    expect(gaps?.status()).toBe(200);
    expect(await governor.locator('h1').textContent()).toContain('Gaps between groups of pupils');

    const importPage = await governor.goto(`${baseUrl}/schools/${schoolId}/imports/new`);
    expect(importPage?.status()).toBe(403);

    await governor.getByRole('button', { name: 'Sign out' }).click();
    await governor.waitForURL(/\/sign-in\?signed-out=1$/);
    await governor.goto(`${baseUrl}/schools/${schoolId}`);
    expect(new URL(governor.url()).pathname).toBe('/sign-in');

    const used = await governor.goto(link);
    expect(used?.status()).toBe(404);
    expect(await governor.locator('h1').textContent()).toBe('This invitation link is not valid');
    await expectNoAxeViolations(governor);
    await governorContext.close();
  }, 120_000);
});
