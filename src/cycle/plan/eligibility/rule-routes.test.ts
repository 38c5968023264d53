import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_CTF_FACTS, generatedCtf } from '../../../../test/helpers/acceptance-files.js';
import { startApp, type TestApp } from '../../../../test/helpers/start-app.js';
import { createSchool } from '../../../platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../../pupils/import-service.js';
import { RULE_FIELDS } from './rule-fields.js';

/** Returns the text inside the rule's textarea, still HTML-escaped, or null without one. */
function ruleFieldText(body: string): string | null {
  return /<textarea[^>]*\bid="rule"[^>]*>([^<]*)<\/textarea>/.exec(body)?.[1] ?? null;
}

function statusText(body: string): string | null {
  return /<p [^>]*data-rule-status>([^<]*)<\/p>/.exec(body)?.[1] ?? null;
}

function errorSummary(body: string): string | null {
  return /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? null;
}

/**
 * The generated CTF has 12 pupils in year 7 in 2024/25: the first 6 disadvantaged (an open FSM
 * period), each missing 40 of 300 sessions, and the other 6 missing 10. Pupils alternate female
 * and male, starting with a girl.
 */
describe('rule routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let emptySchoolId: number;
  let otherSchoolId: number;

  beforeAll(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (
      await createSchool(db, { laestab: GENERATED_CTF_FACTS.laestab, name: 'Brookfield Academy' })
    ).id;
    emptySchoolId = (await createSchool(db, { laestab: '8014003', name: 'Empty School' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;

    const limits = { maxBytes: 20 * 1024 * 1024 };
    const preview = await previewImport(
      db,
      { organisationId: schoolId, fileName: 'pupils.xml', content: generatedCtf() },
      limits,
    );
    await commitImport(
      db,
      schoolId,
      preview.importId as number,
      { confirmOtherSchool: false },
      limits,
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function signInTo(organisationId: number) {
    await testApp.signIn(organisationId, 'governor');
  }

  function get(url: string) {
    return testApp.inject({ method: 'GET', url });
  }

  function rulesUrl(query: Record<string, string> = {}, school = schoolId): string {
    const search = new URLSearchParams(query).toString();
    return `/schools/${school}/rules${search === '' ? '' : `?${search}`}`;
  }

  describe('checker page', () => {
    beforeAll(async () => signInTo(schoolId));

    it('shows an empty form', async () => {
      const page = await get(rulesUrl());

      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1 class="govuk-heading-l">Check an eligibility rule</h1>');
      expect(ruleFieldText(page.body)).toBe('');
      expect(statusText(page.body)).toBe('Write a rule to see how many pupils it selects.');
      expect(page.body).toContain('name="field-4"');
      expect(page.body).toContain('src="/javascripts/app/rule-field.js"');
      expect(page.body).not.toContain('govuk-error-summary');
    });

    it('counts the pupils a rule selects', async () => {
      const page = await get(rulesUrl({ rule: 'Disadvantaged', year: '2024' }));

      expect(page.statusCode).toBe(200);
      expect(statusText(page.body)).toBe(
        '6 pupils of 12 on roll in 2024/25 match this rule (50.0%).',
      );
      expect(page.body).toContain('The rule as read: <code class="app-code">disadvantaged</code>');
      expect(page.body).toMatch(
        /Disadvantaged<\/th>\s*<td[^>]*>6<\/td>\s*<td[^>]*>100\.0%<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>50\.0%<\/td>/,
      );
      expect(ruleFieldText(page.body)).toBe('Disadvantaged');
    });

    it('withholds the make-up of a few pupils', async () => {
      const page = await get(rulesUrl({ rule: 'disadvantaged and sex = female' }));

      expect(statusText(page.body)).toBe(
        '3 pupils of 12 on roll in 2024/25 match this rule (25.0%).',
      );
      expect(page.body).toContain('not shown for fewer than 5 pupils');
      expect(page.body).not.toContain('Make-up of these pupils');
    });

    it('says when no pupil matches', async () => {
      const page = await get(rulesUrl({ rule: 'year = 8' }));

      expect(statusText(page.body)).toBe('No pupils of the 12 on roll in 2024/25 match this rule.');
    });

    it('rejects a rule with a mistake and keeps it', async () => {
      const typed = 'attendence < 90% & "x"';

      const page = await get(rulesUrl({ rule: typed }));

      expect(page.statusCode).toBe(422);
      expect(ruleFieldText(page.body)).toBe('attendence &lt; 90% &amp; &quot;x&quot;');
      const message = 'Unknown field “attendence”, at character 1. Did you mean attendance?';
      expect(errorSummary(page.body)).toContain(message);
      expect(errorSummary(page.body)).toContain('href="#rule"');
      expect(page.body).toMatch(
        /<p id="rule-error" class="govuk-error-message">[\s\S]*Unknown field/,
      );
      expect(page.body).toContain('<mark class="app-rule-snippet__mark">attendence</mark>');
      expect(page.body).toContain('<title>Error: Check an eligibility rule');
    });

    it('marks a missing final word with a space', async () => {
      const page = await get(rulesUrl({ rule: 'disadvantaged and' }));

      expect(page.statusCode).toBe(422);
      expect(page.body).toContain('<mark class="app-rule-snippet__mark">&nbsp;</mark>');
      expect(page.body).not.toContain('u00a0');
    });

    it('asks for a rule when the field is empty', async () => {
      const page = await get(rulesUrl({ rule: '  ' }));

      expect(page.statusCode).toBe(422);
      expect(errorSummary(page.body)).toContain(
        'Enter a rule. Write a condition such as disadvantaged',
      );
      expect(ruleFieldText(page.body)).toBe('  ');
    });

    it('rejects a repeated parameter and keeps the first rule', async () => {
      const page = await get(`${rulesUrl()}?rule=eal&rule=sen`);

      expect(page.statusCode).toBe(400);
      expect(ruleFieldText(page.body)).toBe('eal');
      expect(errorSummary(page.body)).toContain('The page address is not valid');
    });

    it('rejects an unknown mode', async () => {
      const page = await get(rulesUrl({ rule: 'eal', mode: 'other' }));

      expect(page.statusCode).toBe(400);
      expect(ruleFieldText(page.body)).toBe('eal');
    });

    it('writes the rule from the builder', async () => {
      const page = await get(
        rulesUrl({
          mode: 'builder',
          year: '2024',
          combine: 'all',
          'field-1': 'disadvantaged',
          'operator-1': 'is',
          'value-1': '',
          'field-2': 'attendance',
          'operator-2': 'less',
          'value-2': '90',
          'field-3': '',
          'operator-3': 'is',
        }),
      );

      expect(page.statusCode).toBe(200);
      expect(ruleFieldText(page.body)).toBe('disadvantaged and attendance &lt; 90%');
      expect(statusText(page.body)).toBe(
        '6 pupils of 12 on roll in 2024/25 match this rule (50.0%).',
      );
      expect(page.body).toMatch(/<option value="attendance" selected>/);
      expect(page.body).toMatch(/<option value="less" selected>/);
    });

    it('shows builder mistakes at their fields', async () => {
      const page = await get(
        rulesUrl({
          mode: 'builder',
          combine: 'any',
          'field-1': 'year',
          'operator-1': 'is',
          'value-1': '14',
          'field-2': 'eal',
          'operator-2': 'less',
          'value-2': '',
        }),
      );

      expect(page.statusCode).toBe(422);
      const summary = errorSummary(page.body) ?? '';
      expect(summary).toContain('href="#value-1"');
      expect(summary).toContain('Condition 1: year 14 is outside R to 13');
      expect(summary).toContain('href="#operator-2"');
      expect(summary).toContain(
        'Condition 2: choose “is” or “is not” for English as an additional language',
      );
      expect(page.body).toMatch(/<input[^>]*id="value-1"[^>]*value="14"/);
      expect(page.body).toMatch(/id="value-1-error"/);
      expect(page.body).toMatch(/<input[^>]*type="radio" value="any" checked/);
    });

    it('checks a rule without pupil data', async () => {
      await signInTo(emptySchoolId);

      const page = await get(rulesUrl({ rule: 'disadvantaged' }, emptySchoolId));

      expect(page.statusCode).toBe(200);
      expect(statusText(page.body)).toBe(
        'There is no pupil data for this school yet, so the rule selects no pupils.',
      );
      expect(page.body).toContain('Import pupil data');
      await signInTo(schoolId);
    });

    it('hides another school', async () => {
      const other = await get(rulesUrl({ rule: 'eal' }, otherSchoolId));
      const missing = await get(rulesUrl({ rule: 'eal' }, 999_999));
      const preview = await get(`/schools/${otherSchoolId}/rules/preview?rule=eal`);

      expect(other.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(preview.statusCode).toBe(404);
    });

    it('rejects a year with no pupil data', async () => {
      const page = await get(rulesUrl({ rule: 'eal', year: '2019' }));

      expect(page.statusCode).toBe(404);
    });

    it('is linked from the school overview', async () => {
      const page = await get(`/schools/${schoolId}`);

      expect(page.body).toContain(`href="/schools/${schoolId}/rules"`);
    });
  });

  describe('preview', () => {
    beforeAll(async () => signInTo(schoolId));

    function previewUrl(query: string): string {
      return `/schools/${schoolId}/rules/preview?${query}`;
    }

    it('returns the result as a fragment', async () => {
      const response = await get(previewUrl('rule=persistent_absence&year=2024'));

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).not.toContain('<html');
      expect(statusText(response.body)).toBe(
        '6 pupils of 12 on roll in 2024/25 match this rule (50.0%).',
      );
      expect(response.body).toContain('data-rule-details');
    });

    it('describes a mistake', async () => {
      const response = await get(previewUrl(`rule=${encodeURIComponent('attendance < 90')}`));

      expect(response.statusCode).toBe(422);
      expect(statusText(response.body)).toBe(
        'The rule has a problem: Missing % after 90, at character 14. Write 90%: attendance is a percentage of the pupil’s possible sessions',
      );
    });

    it('prompts for an empty rule', async () => {
      const response = await get(previewUrl('rule='));

      expect(response.statusCode).toBe(200);
      expect(statusText(response.body)).toBe('Write a rule to see how many pupils it selects.');
    });

    it('rejects a repeated parameter', async () => {
      const response = await get(previewUrl('rule=eal&rule=sen'));

      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain('<html');
    });
  });

  describe('help page', () => {
    it('documents every field signed out', async () => {
      const page = await testApp.app.inject({ method: 'GET', url: '/help/eligibility-rules' });

      expect(page.statusCode).toBe(200);
      for (const field of RULE_FIELDS) {
        expect(page.body, field.name).toContain(`id="field-${field.name}"`);
      }
      expect(page.body).toContain('Unknown field “attendence”, at character 1');
      expect(page.body).toContain('Did you mean attendance?');
      expect(page.body).toContain('ks2_maths');
    });
  });
});
