import { toCsv, type CsvCell } from './csv.js';
import {
  ACTIVITY_TIERS,
  computeStrategyFigures,
  fundingOverviewRows,
  schoolOverviewRows,
  STATEMENT_HEADINGS,
  type StatementRow,
  type StrategyStatementData,
} from './strategy-statement-data.js';

/**
 * The Pupil Premium strategy statement's figures and text as one CSV table, in the section
 * order of the DfE template, for schools that keep their statement in a spreadsheet.
 *
 * Columns: section, item, detail, the numbers of the challenges an activity addresses, and an
 * amount in pounds. Counts go in the detail column as numbers. Amounts go in the last column
 * as numbers of pounds (1515.5 for £1,515.50), not as formatted text, so a spreadsheet can add
 * them up. Every record has all five fields. A missing value is an empty field, and a section
 * with no entries has no records.
 */

const HEADER = ['Section', 'Item', 'Detail', 'Challenge numbers addressed', 'Amount (£)'];

/**
 * Writes the statement as CSV text with a UTF-8 byte order mark, so Excel reads accented names
 * correctly. Throws a RangeError for data that `computeStrategyFigures` rejects.
 */
export function strategyStatementCsv(data: StrategyStatementData): string {
  const figures = computeStrategyFigures(data);

  const rows: CsvCell[][] = [
    HEADER,
    ...overviewRecords(STATEMENT_HEADINGS.schoolOverview, schoolOverviewRows(data, figures)),
    ...overviewRecords(STATEMENT_HEADINGS.fundingOverview, fundingOverviewRows(data, figures)),
    [STATEMENT_HEADINGS.statementOfIntent, 'Statement of intent', data.statementOfIntent],
    ...data.challenges.map((detail, index) => [
      STATEMENT_HEADINGS.challenges,
      `Challenge ${index + 1}`,
      detail,
    ]),
    ...data.intendedOutcomes.map((row) => [
      STATEMENT_HEADINGS.intendedOutcomes,
      row.outcome,
      row.successCriteria,
    ]),
    ...activityRecords(data),
    [
      STATEMENT_HEADINGS.activity,
      'Total budgeted cost of activity',
      null,
      null,
      pounds(figures.totalActivityCostPence),
    ],
    ...previousYearRecords(data),
    [STATEMENT_HEADINGS.furtherInformation, 'Further information', data.furtherInformation],
  ];
  return toCsv(
    rows.map((row) => padRecord(row)),
    { byteOrderMark: true },
  );
}

function overviewRecords(section: string, rows: readonly StatementRow[]): CsvCell[][] {
  return rows.map((row) => {
    if (row.number?.unit === 'pence') {
      return [section, row.label, null, null, pounds(row.number.value)];
    }
    if (row.number?.unit === 'pupils') {
      return [section, row.label, row.number.value];
    }
    return [section, row.label, row.text];
  });
}

function activityRecords(data: StrategyStatementData): CsvCell[][] {
  return ACTIVITY_TIERS.flatMap((tier) => {
    const { budgetedCostPence, activities } = data.activity[tier.key];
    return [
      [tier.label, 'Budgeted cost', null, null, pounds(budgetedCostPence)],
      ...activities.map((row) => [
        tier.label,
        row.activity,
        row.evidence,
        row.challengeNumbers.join(', '),
      ]),
    ];
  });
}

function previousYearRecords(data: StrategyStatementData): CsvCell[][] {
  const { previousYear } = data;
  const service = previousYear.servicePupilPremium;
  const serviceSection = STATEMENT_HEADINGS.servicePupilPremium;

  return [
    [
      `Review of ${previousYear.academicYear}`,
      'Outcomes for disadvantaged pupils',
      previousYear.outcomesReview,
    ],
    ...previousYear.externalProgrammes.map((row) => [
      STATEMENT_HEADINGS.externalProgrammes,
      row.programme,
      row.provider,
    ]),
    ...(service === null
      ? []
      : [
          [serviceSection, 'How the school spent it', service.howSpent],
          [serviceSection, 'Its effect on eligible pupils', service.effect],
        ]),
  ];
}

// RFC 4180 recommends the same number of fields in every record, and csv-parse 7 rejects a
// shorter record by default, so empty fields fill each record out to the header's length.
function padRecord(row: readonly CsvCell[]): CsvCell[] {
  return [...row, ...Array<CsvCell>(HEADER.length - row.length).fill(null)];
}

// Whole pence divided by 100 is the nearest double to the exact amount in pounds, and the
// CSV writer prints the shortest decimal that reads back as that double, so 151550 pence is
// written as 1515.5 with no rounding error.
function pounds(pence: number | null | undefined): number | null {
  return pence === null || pence === undefined ? null : pence / 100;
}
