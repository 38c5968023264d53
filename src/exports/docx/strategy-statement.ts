import type { Paragraph, Table } from 'docx';

import {
  ACTIVITY_TIERS,
  computeStrategyFigures,
  fundingOverviewRows,
  formatOptionalPence,
  schoolOverviewRows,
  STATEMENT_HEADINGS,
  type StatementRow,
  type StrategyActivityTier,
  type StrategyStatementData,
  type StrategyStatementFigures,
} from '../strategy-statement-data.js';
import {
  aspectTable,
  columnTable,
  heading,
  labelledParagraphs,
  packWordDocument,
  textParagraphs,
} from './word-parts.js';

export type { StrategyStatementData } from '../strategy-statement-data.js';

/**
 * Builds the school's Pupil Premium strategy statement figures and text as a .docx file, in the
 * section order of the DfE's strategy statement template, so a school can copy each section
 * into the template it must publish. Resolves to the file's bytes. Throws a RangeError, before
 * building anything, for data that `computeStrategyFigures` rejects.
 */
export async function buildStrategyStatementDocument(data: StrategyStatementData): Promise<Buffer> {
  const figures = computeStrategyFigures(data);

  return packWordDocument({
    title: `Pupil Premium strategy statement: ${data.schoolName}`,
    description: `Figures and text for the Pupil Premium strategy statement of ${data.schoolName}`,
    children: [
      heading(`Pupil Premium strategy statement: ${data.schoolName}`, 0),
      ...textParagraphs(
        "These figures and text follow the sections of the DfE's Pupil Premium strategy " +
          'statement template, in the same order, so each section can be copied into it.',
      ),
      heading(STATEMENT_HEADINGS.schoolOverview, 1),
      overviewTable(schoolOverviewRows(data, figures)),
      heading(STATEMENT_HEADINGS.fundingOverview, 1),
      overviewTable(fundingOverviewRows(data, figures)),
      ...partA(data, figures),
      ...partB(data),
    ],
  });
}

function overviewTable(rows: readonly StatementRow[]): Table {
  return aspectTable(rows.map((row) => ({ aspect: row.label, content: row.text })));
}

function partA(
  data: StrategyStatementData,
  figures: StrategyStatementFigures,
): (Paragraph | Table)[] {
  const challengeRows = data.challenges.map((detail, index) => [String(index + 1), detail]);
  const outcomeRows = data.intendedOutcomes.map((row) => [row.outcome, row.successCriteria]);

  return [
    heading(STATEMENT_HEADINGS.partA, 1),
    heading(STATEMENT_HEADINGS.statementOfIntent, 2),
    ...textParagraphs(data.statementOfIntent),
    heading(STATEMENT_HEADINGS.challenges, 2),
    ...tableOrNotGiven(['Challenge number', 'Detail of the challenge'], challengeRows, [0.2, 0.8]),
    heading(STATEMENT_HEADINGS.intendedOutcomes, 2),
    ...tableOrNotGiven(['Intended outcome', 'Success criteria'], outcomeRows, [0.5, 0.5]),
    heading(STATEMENT_HEADINGS.activity, 2),
    ...textParagraphs(
      'How the school plans to spend its Pupil Premium this academic year, in three tiers.',
    ),
    ...ACTIVITY_TIERS.flatMap((tier) => activityTier(tier.label, data.activity[tier.key])),
    ...labelledParagraphs(
      'Total budgeted cost of activity',
      formatOptionalPence(figures.totalActivityCostPence),
    ),
  ];
}

function activityTier(label: string, tier: StrategyActivityTier): (Paragraph | Table)[] {
  const rows = tier.activities.map((row) => [
    row.activity,
    row.evidence,
    row.challengeNumbers.join(', '),
  ]);
  return [
    heading(label, 3),
    ...labelledParagraphs('Budgeted cost', formatOptionalPence(tier.budgetedCostPence)),
    ...tableOrNotGiven(
      ['Activity', 'Evidence that supports this approach', 'Challenge numbers addressed'],
      rows,
      [0.35, 0.45, 0.2],
    ),
  ];
}

function partB(data: StrategyStatementData): (Paragraph | Table)[] {
  const { previousYear } = data;
  const programmeRows = previousYear.externalProgrammes.map((row) => [row.programme, row.provider]);
  const service = previousYear.servicePupilPremium;

  return [
    heading(STATEMENT_HEADINGS.partB, 1),
    heading(`Outcomes for disadvantaged pupils in ${previousYear.academicYear}`, 2),
    ...textParagraphs(previousYear.outcomesReview),
    heading(STATEMENT_HEADINGS.externalProgrammes, 2),
    ...tableOrNotGiven(['Programme', 'Provider'], programmeRows, [0.6, 0.4]),
    heading(STATEMENT_HEADINGS.servicePupilPremium, 2),
    ...(service === null
      ? textParagraphs('The school had no service pupil premium.')
      : [
          aspectTable([
            { aspect: 'How the school spent it', content: service.howSpent },
            { aspect: 'Its effect on eligible pupils', content: service.effect },
          ]),
        ]),
    heading(STATEMENT_HEADINGS.furtherInformation, 2),
    ...textParagraphs(data.furtherInformation),
  ];
}

/** Builds a table of the rows, or a "Not given" paragraph when there are none. */
function tableOrNotGiven(
  headers: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  columnShares: readonly number[],
): (Paragraph | Table)[] {
  if (rows.length === 0) return textParagraphs(null);
  return [columnTable(headers, rows, columnShares)];
}
