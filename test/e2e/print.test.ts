import postcss, { type AtRule, type Rule } from 'postcss';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compileStylesheet } from '../../scripts/compile-stylesheet.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER = { email: 'leader@brookfield.invalid', password: 'a long test password 2024' };

/** Page furniture that does nothing on paper and must not print. */
const HIDDEN_IN_PRINT = [
  '.govuk-skip-link',
  '.app-account-bar',
  '.govuk-service-navigation__wrapper',
  '.govuk-phase-banner',
  '.govuk-breadcrumbs',
  '.govuk-button',
  '.govuk-summary-list__actions',
  'button',
  'input[type=submit]',
];

/** The browser function the checks below call, typed here because tests compile without the DOM library. */
interface StyleWindow {
  getComputedStyle(element: unknown, pseudoElement?: string): { display: string; content: string };
}

/** Collects the declarations of each print rule, keyed by every selector in its list. */
function printDeclarations(css: string): Map<string, Record<string, string>> {
  const declarations = new Map<string, Record<string, string>>();
  postcss.parse(css).walkAtRules('media', (media: AtRule) => {
    if (media.params.trim() !== 'print') return;
    media.walkRules((rule: Rule) => {
      const values: Record<string, string> = {};
      rule.walkDecls((declaration) => {
        values[declaration.prop] = declaration.important
          ? `${declaration.value} !important`
          : declaration.value;
      });
      for (const selector of rule.selectors) {
        declarations.set(selector, { ...declarations.get(selector), ...values });
      }
    });
  });
  return declarations;
}

describe('print stylesheet', () => {
  const rules = printDeclarations(compileStylesheet());

  it.each(HIDDEN_IN_PRINT)('hides %s', (selector) => {
    expect(rules.get(selector)?.display).toBe('none !important');
  });

  it('drops addresses of links within the app', () => {
    expect(rules.get('.govuk-link[href^="/"]::after')?.content).toBe('none');
  });

  it('uses the full page width', () => {
    expect(rules.get('.govuk-width-container')?.['max-width']).toBe('none');
    expect(rules.get('[class*=govuk-grid-column-]')?.width).toBe('100%');
  });

  it.each(['.govuk-table__row', '.govuk-summary-list__row'])('keeps %s on one page', (selector) => {
    expect(rules.get(selector)?.['break-inside']).toBe('avoid');
    expect(rules.get(selector)?.['page-break-inside']).toBe('avoid');
  });
});

describe('printing a page in Chromium', () => {
  let testApp: TestApp;
  let browser: Browser;
  let page: Page;
  let schoolUrl: string;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    const baseUrl = testApp.baseUrl ?? '';
    const school = await createSchool(testApp.database.db, {
      name: 'Brookfield Academy',
      laestab: '8014001',
    });
    await createUserWithRole(testApp.database.db, {
      ...LEADER,
      organisationId: school.id,
      role: 'senior_leader',
    });
    schoolUrl = `${baseUrl}/schools/${school.id}`;

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);
    await page.goto(schoolUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function displayOf(selector: string): Promise<string> {
    return page
      .locator(selector)
      .first()
      .evaluate(
        (element) => (globalThis as unknown as StyleWindow).getComputedStyle(element).display,
      );
  }

  it.each([
    '.govuk-service-navigation__wrapper',
    '.app-account-bar',
    'form[action="/sign-out"] button',
    '.govuk-phase-banner',
    '.govuk-skip-link',
    '.govuk-breadcrumbs',
    'main .govuk-button',
  ])('hides %s', async (selector) => {
    await page.emulateMedia({ media: 'screen' });
    const onScreen = await displayOf(selector);
    await page.emulateMedia({ media: 'print' });
    const inPrint = await displayOf(selector);

    expect(onScreen).not.toBe('none');
    expect(inPrint).toBe('none');
  });

  it('keeps the page heading and service name', async () => {
    await page.emulateMedia({ media: 'print' });

    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('.govuk-service-navigation__service-name').isVisible()).toBe(true);
  });

  it('widens the content to the page', async () => {
    await page.emulateMedia({ media: 'screen' });
    const screenWidth = (await page.locator('main').boundingBox())?.width ?? 0;
    await page.emulateMedia({ media: 'print' });
    const printWidth = (await page.locator('main').boundingBox())?.width ?? 0;

    expect(screenWidth).toBeLessThanOrEqual(960);
    expect(printWidth).toBe(1280);
  });

  it('prints addresses of other sites only', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.locator('main').evaluate((main) => {
      main.insertAdjacentHTML(
        'beforeend',
        '<a class="govuk-link" id="outside" href="https://example.invalid/guide">Guide</a>' +
          '<a class="govuk-link" id="inside" href="/help/gaps">Help</a>',
      );
    });

    const afterContent = (selector: string) =>
      page
        .locator(selector)
        .evaluate(
          (link) =>
            (globalThis as unknown as StyleWindow).getComputedStyle(link, '::after').content,
        );

    expect(await afterContent('#outside')).toBe('" (https://example.invalid/guide)"');
    expect(await afterContent('#inside')).toBe('none');
  });
});
