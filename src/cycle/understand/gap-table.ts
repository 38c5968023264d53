/**
 * A gap analysis as a flat table: one row per group and measure, for the command line's JSON and
 * CSV output and the web page's CSV download.
 */
import { toCsv, type CsvCell, type CsvOptions } from '../../exports/csv.js';
import {
  MINIMUM_GROUP_SIZE,
  type GapAnalysis,
  type GroupComparison,
  type MeasureComparison,
  type MeasureKind,
  type NoGapReason,
} from './gap-analysis.js';
import { DEFAULT_CONFIDENCE } from './statistics.js';

/**
 * Unit of a row's figures and gap: `proportion` for rates and shares of pupils (0 to 1, so a gap
 * of 0.05 is 5 percentage points), `mean` for a mean result on the assessment's own scale.
 */
export type GapTableUnit = 'proportion' | 'mean';

/**
 * One row of the gap table, with figures at full precision. A suppressed group gives one row
 * with `measure` null and no figures.
 */
export interface GapTableRow {
  group: string;
  groupLabel: string;
  measure: string | null;
  measureLabel: string;
  /** Pupils in the group: with data for the measure, or in the whole group on a suppressed group's row. */
  n: number;
  value: number | null;
  nRest: number;
  valueRest: number | null;
  /** Group value minus rest-of-school value. */
  gap: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  /** Unit of `value`, `valueRest`, `gap` and the interval; null on a suppressed group's row. */
  unit: GapTableUnit | null;
  /** Reason `gap` is null, or null when it is given. */
  reason: NoGapReason | null;
}

const CONFIDENCE_PERCENT = Math.round(DEFAULT_CONFIDENCE * 100);

/** Plain-English text the CSV writes for each unit and reason. */
const UNIT_TEXT: Readonly<Record<GapTableUnit, string>> = {
  proportion: 'Proportion from 0 to 1 (0.25 is 25%); gap in the same unit',
  mean: "Mean result on the assessment's own scale; gap in points",
};
const REASON_TEXT: Readonly<Record<NoGapReason, string>> = {
  'no-data': 'No data: the group or the rest of the school has no pupils with data',
  'too-few-pupils': `Suppressed: the group or the rest of the school has fewer than ${MINIMUM_GROUP_SIZE} pupils with data`,
};

/**
 * The table's columns in order, each with a header in plain English. The unit and the reason
 * come last so that the columns before them keep their places in files made before they existed.
 */
export const GAP_TABLE_COLUMNS: readonly { key: keyof GapTableRow; header: string }[] = [
  { key: 'group', header: 'Group code' },
  { key: 'groupLabel', header: 'Group' },
  { key: 'measure', header: 'Measure code' },
  { key: 'measureLabel', header: 'Measure' },
  { key: 'n', header: 'Pupils in group' },
  { key: 'value', header: 'Group figure' },
  { key: 'nRest', header: 'Pupils in rest of school' },
  { key: 'valueRest', header: 'Rest of school figure' },
  { key: 'gap', header: 'Gap (group minus rest)' },
  { key: 'ciLow', header: `Gap ${CONFIDENCE_PERCENT}% confidence interval, lower` },
  { key: 'ciHigh', header: `Gap ${CONFIDENCE_PERCENT}% confidence interval, upper` },
  { key: 'suppressed', header: `Suppressed (fewer than ${MINIMUM_GROUP_SIZE} pupils)` },
  { key: 'unit', header: 'Unit of the figures' },
  { key: 'reason', header: 'Why there is no gap' },
];

/** Label of the single row that stands for every measure of a suppressed group. */
export const SUPPRESSED_GROUP_MEASURE_LABEL = 'All measures';

/** Flattens a gap analysis into rows, keeping the order of groups and of their measures. */
export function flattenGapAnalysis(analysis: GapAnalysis): GapTableRow[] {
  return analysis.groups.flatMap((group) =>
    group.suppressed
      ? [suppressedGroupRow(group)]
      : group.measures.map((measure) => measureRow(group, measure)),
  );
}

/**
 * Returns the header row followed by one row of cells per table row. `suppressed` reads Yes or
 * No, and the unit and the reason are written out in words; figures keep full precision.
 */
export function gapTableCells(rows: readonly GapTableRow[]): CsvCell[][] {
  const header = GAP_TABLE_COLUMNS.map((column) => column.header);
  const body = rows.map((row) =>
    GAP_TABLE_COLUMNS.map(({ key }): CsvCell => {
      if (key === 'unit') return row.unit === null ? null : UNIT_TEXT[row.unit];
      if (key === 'reason') return row.reason === null ? null : REASON_TEXT[row.reason];
      const cell = row[key];
      if (typeof cell === 'boolean') {
        return cell ? 'Yes' : 'No';
      }
      return cell;
    }),
  );
  return [header, ...body];
}

/** Writes a gap analysis as CSV with plain-English headers. */
export function gapAnalysisToCsv(analysis: GapAnalysis, options: CsvOptions = {}): string {
  return toCsv(gapTableCells(flattenGapAnalysis(analysis)), options);
}

function suppressedGroupRow(group: GroupComparison): GapTableRow {
  return {
    group: group.group,
    groupLabel: group.label,
    measure: null,
    measureLabel: SUPPRESSED_GROUP_MEASURE_LABEL,
    n: group.n,
    value: null,
    nRest: group.nRest,
    valueRest: null,
    gap: null,
    ciLow: null,
    ciHigh: null,
    suppressed: true,
    unit: null,
    reason: group.reason,
  };
}

function measureRow(group: GroupComparison, measure: MeasureComparison): GapTableRow {
  return {
    group: group.group,
    groupLabel: group.label,
    measure: measure.measure,
    measureLabel: measure.label,
    n: measure.n,
    value: measure.value,
    nRest: measure.nRest,
    valueRest: measure.valueRest,
    gap: measure.gap,
    ciLow: measure.ciLow,
    ciHigh: measure.ciHigh,
    suppressed: measure.suppressed,
    unit: unitOf(measure.kind),
    reason: measure.reason,
  };
}

function unitOf(kind: MeasureKind): GapTableUnit {
  return kind === 'mean' ? 'mean' : 'proportion';
}
