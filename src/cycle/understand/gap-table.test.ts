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
      measures: [absence, reading],
    },
    {
      group: 'in_care',
      label: 'Looked after (in care)',
      n: 1,
      nRest: 59,
      suppressed: true,
      measures: [],
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

    expect(cells.map((row) => row.at(-1))).toEqual([
      'Suppressed (fewer than 5 pupils)',
      'No',
      'No',
      'Yes',
    ]);
  });
});

describe('gapAnalysisToCsv', () => {
  it('keeps negative gaps numeric', () => {
    const parsed = parse(gapAnalysisToCsv(analysis, { byteOrderMark: true }), {
      bom: true,
    }) as string[][];

    expect(parsed).toHaveLength(4);
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
    ]);
    expect(parsed[3]?.slice(4, 9)).toEqual(['1', '', '59', '', '']);
  });
});
