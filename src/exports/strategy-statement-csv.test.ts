import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import { completeStatement } from '../../test/fixtures/strategy-statement.js';
import { strategyStatementCsv } from './strategy-statement-csv.js';

function parseCsv(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

/** Pads the fields with empty ones to the header's five, as the parser returns a record. */
function record(...fields: string[]): string[] {
  return [...fields, ...Array<string>(5 - fields.length).fill('')];
}

describe('strategyStatementCsv', () => {
  it('writes every section in template order', () => {
    const rows = parseCsv(strategyStatementCsv(completeStatement()));

    expect(rows).toEqual([
      record('Section', 'Item', 'Detail', 'Challenge numbers addressed', 'Amount (£)'),
      record('School overview', 'School name', 'Brookfield Academy'),
      record('School overview', 'Number of pupils in school', '1146'),
      record('School overview', 'Pupils eligible for Pupil Premium', '202'),
      record('School overview', 'Proportion of pupils eligible for Pupil Premium', '17.6%'),
      record('School overview', 'Academic years this statement covers', '2025/26 to 2027/28'),
      record('School overview', 'Date published', '4 December 2026'),
      record('School overview', 'Date of next review', '1 October 2027'),
      record('School overview', 'Statement authorised by', 'Mrs K Shah, headteacher'),
      record('School overview', 'Pupil Premium lead', 'Mr J Okafor, deputy head'),
      record('School overview', 'Governor or trustee lead', 'Dr R Evans'),
      record('Funding overview', 'Pupil Premium allocation this academic year', '', '', '218760'),
      record(
        'Funding overview',
        'Pupil Premium carried forward from previous years',
        '',
        '',
        '12500.5',
      ),
      record('Funding overview', 'Total budget for this academic year', '', '', '231260.5'),
      record(
        'Statement of intent',
        'Statement of intent',
        'Every pupil reads fluently by Year 8.\nNo pupil misses out on trips.',
      ),
      record('Challenges', 'Challenge 1', 'Reading ages of disadvantaged pupils at entry are low.'),
      record('Challenges', 'Challenge 2', 'Persistent absence is twice that of peers.'),
      record('Intended outcomes', 'Better reading', 'Reading age gap under 6 months by 2028'),
      record('Intended outcomes', 'Better attendance', 'Persistent absence below 15%'),
      record('Teaching', 'Budgeted cost', '', '', '80000'),
      record(
        'Teaching',
        'Reading CPD for all staff',
        'EEF guidance on literacy in secondary schools',
        '1',
      ),
      record('Targeted academic support', 'Budgeted cost', '', '', '95000.5'),
      record(
        'Targeted academic support',
        'Small-group reading tuition',
        'EEF Toolkit: small group tuition, +4 months',
        '1, 2',
      ),
      record('Wider strategies', 'Budgeted cost', '', '', '50000'),
      record(
        'Wider strategies',
        'Attendance officer',
        'DfE guidance on working together to improve attendance',
        '2',
      ),
      record(
        'Activity in this academic year',
        'Total budgeted cost of activity',
        '',
        '',
        '225000.5',
      ),
      record(
        'Review of 2024/25',
        'Outcomes for disadvantaged pupils',
        'Reading ages rose by 9 months on average.',
      ),
      record('Externally provided programmes', 'Reading mentors', 'Read Together CIC'),
      record(
        'Service pupil premium funding',
        'How the school spent it',
        'A mentor for service children.',
      ),
      record(
        'Service pupil premium funding',
        'Its effect on eligible pupils',
        'Attendance of service children rose.',
      ),
      record('Further information', 'Further information', 'Our trust shares a literacy lead.'),
    ]);
  });

  it('starts with a byte order mark', () => {
    expect(strategyStatementCsv(completeStatement()).charCodeAt(0)).toBe(0xfeff);
  });

  it('leaves missing amounts empty', () => {
    const data = completeStatement();
    data.funding.allocationPence = null;
    data.pupilCount = null;

    const rows = parseCsv(strategyStatementCsv(data));

    expect(rows).toContainEqual(record('School overview', 'Number of pupils in school'));
    expect(rows).toContainEqual(
      record('School overview', 'Proportion of pupils eligible for Pupil Premium'),
    );
    expect(rows).toContainEqual(
      record('Funding overview', 'Pupil Premium allocation this academic year'),
    );
    expect(rows).toContainEqual(record('Funding overview', 'Total budget for this academic year'));
  });

  it('leaves out service pupil premium when there is none', () => {
    const data = completeStatement();
    data.previousYear.servicePupilPremium = null;

    const sections = parseCsv(strategyStatementCsv(data)).map((row) => row[0]);

    expect(sections).not.toContain('Service pupil premium funding');
  });

  it('neutralises formulas in text', () => {
    const data = completeStatement();
    data.challenges[0] = '=HYPERLINK("http://example.invalid","Click")';
    data.previousYear.externalProgrammes[0] = { programme: '+SUM(A1:A9)', provider: '@provider' };

    const rows = parseCsv(strategyStatementCsv(data));

    expect(rows).toContainEqual(
      record('Challenges', 'Challenge 1', '\'=HYPERLINK("http://example.invalid","Click")'),
    );
    expect(rows).toContainEqual(
      record('Externally provided programmes', "'+SUM(A1:A9)", "'@provider"),
    );
  });

  it('keeps commas, quotes and line breaks', () => {
    const data = completeStatement();
    data.statementOfIntent = 'We aim, "above all", for\r\nfluent readers & <writers>';

    const rows = parseCsv(strategyStatementCsv(data));

    expect(rows).toContainEqual(
      record(
        'Statement of intent',
        'Statement of intent',
        'We aim, "above all", for\r\nfluent readers & <writers>',
      ),
    );
  });

  it('rejects an unknown challenge number', () => {
    const data = completeStatement();
    data.activity.targetedSupport.activities[0]!.challengeNumbers = [1, 9];

    expect(() => strategyStatementCsv(data)).toThrow(/addresses challenge 9/);
  });
});
