import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { acceptanceFile, GENERATED_CTF_FACTS, generatedCtf } from '../helpers/acceptance-files.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { createUserWithRole, signInInBrowser } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

const LEADER = { email: 'leader@brookfield.invalid', password: 'a long test password 2024' };

/** The Brookfield acceptance file when it is beside the repository, else a generated CTF. */
const brookfieldPath = acceptanceFile('brookfield-ctf25.xml');
const upload = brookfieldPath
  ? { name: 'brookfield-ctf25.xml', buffer: readFileSync(brookfieldPath), pupils: 60 }
  : { name: 'generated-ctf25.xml', buffer: generatedCtf(), pupils: GENERATED_CTF_FACTS.pupils };

/**
 * The disadvantaged group's persistent absence gap in the file uploaded: computed independently
 * for the Brookfield file (26.19 percentage points), and by construction for the generated one.
 */
const expectedPersistentAbsenceGap = brookfieldPath
  ? 0.2619047619047619
  : GENERATED_CTF_FACTS.disadvantagedPersistentAbsenceGap;

/** Splits one CSV record into fields, undoing RFC 4180 quoting. */
function parseCsvRecord(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < record.length; index++) {
    const character = record[index];
    if (quoted && character === '"' && record[index + 1] === '"') {
      field += '"';
      index++;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (character === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += character;
    }
  }
  fields.push(field);
  return fields;
}

describe('understand step in a browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await startApp({ listen: true });
    baseUrl = testApp.baseUrl ?? '';
    const school = await createSchool(testApp.database.db, {
      name: 'Brookfield Academy',
      laestab: '8014001',
      urn: '140001',
      phase: 'secondary',
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

  it('imports a CTF and shows the gaps', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    expect(await page.locator('h1').textContent()).toBe('Schools');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    expect(await page.locator('h1').textContent()).toBe('Brookfield Academy');
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('8014001');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Import pupil data' }).click();
    expect(await page.locator('h1').textContent()).toBe('Import pupil data');
    await expectNoAxeViolations(page);

    await page.setInputFiles('#file', {
      name: upload.name,
      mimeType: 'application/xml',
      buffer: upload.buffer,
    });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/schools\/\d+\/imports\/\d+$/);
    expect(await page.locator('h1').textContent()).toBe(`Check the import of ${upload.name}`);
    const contents = page.locator('.govuk-summary-list').nth(1);
    expect(
      await contents
        .locator('.govuk-summary-list__row', { hasText: 'New pupils' })
        .locator('dd')
        .textContent(),
    ).toContain(String(upload.pupils));
    expect(await page.locator('.govuk-summary-list').first().textContent()).toContain(
      'CTF version',
    );
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Load pupil data' }).click();
    await page.waitForURL(/\/schools\/\d+\?imported=\d+$/);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      `Pupil data loaded from ${upload.name}`,
    );
    expect(
      await page.locator('table', { hasText: 'Academic year' }).first().textContent(),
    ).toContain(String(upload.pupils));
    expect(
      await page
        .locator('.govuk-summary-list__row', { hasText: 'Disadvantaged pupils' })
        .textContent(),
    ).toMatch(new RegExp(`\\d+ of ${upload.pupils}`));
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'See gaps between groups' }).click();
    await page.waitForURL(/\/gaps$/);
    expect(await page.locator('h1').textContent()).toContain(
      'Gaps between groups of pupils, 2024/25',
    );
    const chart = page.locator('svg[role="img"]').first();
    expect(await chart.locator('title').textContent()).toContain(
      'gap between each group and the rest of the school',
    );
    const persistentTable = page.locator('table', {
      hasText: 'Persistent absence (10% or more): each group',
    });
    expect(await persistentTable.locator('tbody tr').first().locator('th').textContent()).toContain(
      'Disadvantaged',
    );
    const expectedPoints = `${expectedPersistentAbsenceGap > 0 ? '+' : ''}${(expectedPersistentAbsenceGap * 100).toFixed(1)}`;
    expect(await persistentTable.locator('tbody tr').first().textContent()).toContain(
      expectedPoints,
    );
    await expectNoAxeViolations(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these figures as a CSV file' }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'Group code,Group,Measure code,Measure,Pupils in group,Group figure,Pupils in rest of school,Rest of school figure,' +
        'Gap (group minus rest),"Gap 95% confidence interval, lower","Gap 95% confidence interval, upper",Suppressed (fewer than 5 pupils),Unit of the figures,Why there is no gap',
    );
    const row = lines
      .map(parseCsvRecord)
      .find((fields) => fields[0] === 'disadvantaged' && fields[2] === 'persistent_absence');
    expect(row).toBeDefined();
    expect(Number(row?.[8])).toBeCloseTo(expectedPersistentAbsenceGap, 3);

    await context.close();
  }, 90_000);

  it('help and error pages pass axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${baseUrl}/help/gaps`);
    await expectNoAxeViolations(page);
    const response = await page.goto(`${baseUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expectNoAxeViolations(page);

    await context.close();
  });

  it('gaps page works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, baseUrl, LEADER.email, LEADER.password);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Brookfield Academy' }).click();
    await page.getByRole('button', { name: 'See gaps between groups' }).click();
    await page.getByLabel('Academic year').selectOption('2024');
    await page.getByRole('button', { name: 'Show gaps for this year' }).click();

    await page.waitForURL(/\/gaps\?year=2024$/);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
    expect(await page.locator('table.govuk-table').count()).toBeGreaterThan(0);
    await context.close();
  });
});
