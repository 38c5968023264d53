import { parse } from 'csv-parse/sync';
import { describe, it, expect } from 'vitest';

import type { GapAnalysis, MeasureComparison } from './gap-analysis.js';
import {
  GAP_TABLE_COLUMNS,
  flattenGapAnalysis,
  gapAnalysisToCsv,
  gapTableCells,
} from './gap-table.js';

const absence: MeasureComparison = {
  measure: 'overall_absence_rate',
  label: 'Overall absence rate',
  kind: 'pooled_rate',
  n: 18,
  nRest: 42,
  suppressed: false,
  reason: null,
  value: 0.11,
  valueRest: 0.07,
  gap: 0.04,
  ciLow: null,
  ciHigh: null,
  count: null,
  countRest: null,
};

const reading: MeasureComparison = {
  measure: 'assessment:KS2/ENG/RD/TT/SS',
  label: 'KS2 reading scaled score',
  kind: 'mean',
  n: 17,
  nRest: 39,
  suppressed: false,
  reason: null,
  value: 100.2,
  valueRest: 104.3,
  gap: -4.1,
  ciLow: -8.4,
  ciHigh: 0.2,
  count: null,
  countRest: null,
};

const analysis: GapAnalysis = {
  academicYear: 2024,
  censusDate: '2025-01-16',
  ever6WindowStart: '2019-01-17',
  pupils: 60,
  minimumGroupSize: 5,
  confidence: 0.95,
  groups: [
    {
      group: 'disadvantaged',
      label: 'Disadvantaged (Ever-6 FSM, looked after or previously looked after)',
      n: 18,
      nRest: 42,
      suppressed: false,
      reason: null,
      measures: [absence, reading],
    },
    {
      group: 'in_care',
      label: 'Looked after (in care)',
      n: 1,
      nRest: 59,
      suppressed: true,
      reason: 'too-few-pupils',
      measures: [],
    },
    {
      group: 'year_2',
      label: 'Year 2',
      n: 60,
      nRest: 0,
      suppressed: false,
      reason: 'no-data',
      measures: [
        {
          ...absence,
          n: 60,
          nRest: 0,
          reason: 'no-data',
          value: 0.08,
          valueRest: null,
          gap: null,
        },
      ],
    },
  ],
};

describe('flattenGapAnalysis', () => {
  const rows = flattenGapAnalysis(analysis);

  it('gives one row per measure', () => {
    expect(rows.map((row) => [row.group, row.measure])).toEqual([
      ['disadvantaged', 'overall_absence_rate'],
      ['disadvantaged', 'assessment:KS2/ENG/RD/TT/SS'],
      ['in_care', null],
      ['year_2', 'overall_absence_rate'],
    ]);
  });

  it('copies the figures', () => {
    expect(rows[1]).toEqual({
      group: 'disadvantaged',
      groupLabel: 'Disadvantaged (Ever-6 FSM, looked after or previously looked after)',
      measure: 'assessment:KS2/ENG/RD/TT/SS',
      measureLabel: 'KS2 reading scaled score',
      n: 17,
      value: 100.2,
      nRest: 39,
      valueRest: 104.3,
      gap: -4.1,
      ciLow: -8.4,
      ciHigh: 0.2,
      suppressed: false,
      unit: 'mean',
      reason: null,
    });
  });

  it('keeps a suppressed group', () => {
    expect(rows[2]).toMatchObject({
      group: 'in_care',
      measureLabel: 'All measures',
      n: 1,
      nRest: 59,
      value: null,
      gap: null,
      suppressed: true,
      unit: null,
      reason: 'too-few-pupils',
    });
  });

  it('marks a side with no data', () => {
    expect(rows[3]).toMatchObject({
      group: 'year_2',
      n: 60,
      nRest: 0,
      value: 0.08,
      valueRest: null,
      gap: null,
      suppressed: false,
      unit: 'proportion',
      reason: 'no-data',
    });
  });
});

describe('gapTableCells', () => {
  it('starts with plain-English headers', () => {
    const [header] = gapTableCells([]);

    expect(header).toEqual(GAP_TABLE_COLUMNS.map((column) => column.header));
    expect(header).toContain('Gap (group minus rest)');
    expect(header).toContain('Gap 95% confidence interval, lower');
  });

  it('writes suppression as Yes or No', () => {
    const cells = gapTableCells(flattenGapAnalysis(analysis));
    const column = GAP_TABLE_COLUMNS.findIndex((item) => item.key === 'suppressed');

    expect(cells.map((row) => row[column])).toEqual([
      'Suppressed (fewer than 5 pupils)',
      'No',
      'No',
      'Yes',
      'No',
    ]);
  });

  it('states the unit of each row', () => {
    const cells = gapTableCells(flattenGapAnalysis(analysis));
    const column = GAP_TABLE_COLUMNS.findIndex((item) => item.key === 'unit');

    expect(cells.map((row) => row[column])).toEqual([
      'Unit of the figures',
      'Proportion from 0 to 1 (0.25 is 25%); gap in the same unit',
      "Mean result on the assessment's own scale; gap in points",
      null,
      'Proportion from 0 to 1 (0.25 is 25%); gap in the same unit',
    ]);
  });

  it('tells no data from suppression', () => {
    const cells = gapTableCells(flattenGapAnalysis(analysis));
    const column = GAP_TABLE_COLUMNS.findIndex((item) => item.key === 'reason');

    expect(cells.map((row) => row[column])).toEqual([
      'Why there is no gap',
      null,
      null,
      'Suppressed: the group or the rest of the school has fewer than 5 pupils with data',
      'No data: the group or the rest of the school has no pupils with data',
    ]);
  });
});

describe('gapAnalysisToCsv', () => {
  it('keeps negative gaps numeric', () => {
    const parsed = parse(gapAnalysisToCsv(analysis, { byteOrderMark: true }), {
      bom: true,
    }) as string[][];

    expect(parsed).toHaveLength(5);
    expect(parsed[1]?.[5]).toBe('0.11');
    expect(parsed[2]).toEqual([
      'disadvantaged',
      'Disadvantaged (Ever-6 FSM, looked after or previously looked after)',
      'assessment:KS2/ENG/RD/TT/SS',
      'KS2 reading scaled score',
      '17',
      '100.2',
      '39',
      '104.3',
      '-4.1',
      '-8.4',
      '0.2',
      'No',
      "Mean result on the assessment's own scale; gap in points",
      '',
    ]);
    expect(parsed[3]?.slice(4, 9)).toEqual(['1', '', '59', '', '']);
  });

  it('keeps full precision', () => {
    const precise = { ...absence, value: 0.8892144295916499, gap: -0.04523028330196377 };
    const group = analysis.groups[0]!;

    const csv = gapAnalysisToCsv({ ...analysis, groups: [{ ...group, measures: [precise] }] });

    expect(csv).toContain(',0.8892144295916499,');
    expect(csv).toContain(',-0.04523028330196377,');
  });
});
