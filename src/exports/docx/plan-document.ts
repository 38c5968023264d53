import type { Paragraph, Table } from 'docx';

import {
  aspectTable,
  columnTable,
  heading,
  isNotGiven,
  packWordDocument,
  textParagraphs,
} from './word-parts.js';

/**
 * A commissioning plan as a Word document, laid out like the commissioning plan template in
 * Appendix 1 of "Commissioning Futures: A Guide for Schools" (The Young Foundation, 2018), which
 * many schools already know. The template has two parts. Part 1, filled in before a service is
 * chosen, covers intended outcomes, alignment with the school improvement plan, the target
 * audience, the timeframe, the budget and the key contact. Part 2, filled in once a service is
 * chosen, names the responsible senior leader and the evaluation strategy. Around those parts
 * the document adds the need the plan addresses, outputs kept apart from outcomes, the
 * proportionality band and the approval record.
 */

/**
 * Everything the plan document shows. Every string arrives formatted by the caller (dates as
 * "4 December 2026", money as "£4,500.00"); an empty string or null is shown as "Not given".
 */
export interface PlanDocumentData {
  schoolName: string;
  planTitle: string;
  version: number;
  /** Status as the user sees it, for example "Approved". */
  statusLabel: string;
  /** Date the document was produced, for example "4 December 2026". */
  producedOn: string;
  need: { title: string; description: string };
  /** SMART outcomes: measure, pupils, baseline (with the date it was taken), target, and date. */
  outcomes: Array<{
    description: string;
    measure: string;
    pupils: string;
    baseline: string;
    target: string;
    targetDate: string;
  }>;
  /** Outputs count what a service delivers, such as sessions held. */
  outputs: Array<{ description: string; target: string | null }>;
  alignment: { priority: string | null; note: string };
  /** The eligibility rule as the user wrote it and how many pupils meet it now. */
  audience: { rule: string | null; pupilCount: string | null };
  timeframe: { start: string | null; end: string | null };
  budget: { money: string | null; staffHours: string | null };
  keyContact: string;
  responsibleLeader: string;
  evaluationStrategy: string;
  /** The school's proportionality band for this plan, and the sections it lets the plan omit. */
  band: { name: string; optionalSections: string[] } | null;
  /** Null until the version is submitted for approval. */
  approval: {
    submittedBy: string | null;
    submittedOn: string | null;
    decidedBy: string | null;
    decidedOn: string | null;
    decision: string | null;
    basis: string | null;
    comment: string | null;
  } | null;
}

/**
 * Builds the plan as a .docx file: a heading block, the need, part 1 with each outcome in SMART
 * form and the outputs listed apart, part 2, the proportionality band and the approval record.
 * Resolves to the file's bytes.
 */
export async function buildPlanDocument(plan: PlanDocumentData): Promise<Buffer> {
  return packWordDocument({
    title: `${plan.planTitle}, version ${plan.version}`,
    description: `Commissioning plan for ${plan.schoolName}`,
    children: [
      ...headingBlock(plan),
      ...needSection(plan),
      ...partOne(plan),
      ...partTwo(plan),
      ...proportionalitySection(plan),
      ...approvalSection(plan),
    ],
  });
}

function headingBlock(plan: PlanDocumentData): (Paragraph | Table)[] {
  return [
    heading(plan.planTitle, 0),
    ...textParagraphs(`Commissioning plan for ${plan.schoolName}`),
    aspectTable([
      { aspect: 'School', content: plan.schoolName },
      { aspect: 'Version', content: String(plan.version) },
      { aspect: 'Status', content: plan.statusLabel },
      { aspect: 'Produced on', content: plan.producedOn },
    ]),
  ];
}

function needSection(plan: PlanDocumentData): (Paragraph | Table)[] {
  return [
    heading('The need this plan addresses', 1),
    aspectTable([
      { aspect: 'Need', content: plan.need.title },
      { aspect: 'What the school found', content: plan.need.description },
    ]),
  ];
}

function partOne(plan: PlanDocumentData): (Paragraph | Table)[] {
  return [
    heading('Part 1: before you choose a service', 1),
    ...textParagraphs(
      'What the school wants to change, for whom, by when and with what resources. ' +
        'These answers decide which kind of service to look for.',
    ),
    ...outcomesSection(plan),
    ...outputsSection(plan),
    heading('Alignment, audience, timing and resources', 2),
    aspectTable([
      {
        aspect: 'Alignment with the school improvement plan',
        content: [
          { label: 'Priority', value: plan.alignment.priority },
          { label: 'How the plan supports it', value: plan.alignment.note },
        ],
      },
      {
        aspect: 'Target audience',
        content: [
          { label: 'Eligibility rule', value: plan.audience.rule },
          { label: 'Pupils who meet it now', value: plan.audience.pupilCount },
        ],
      },
      {
        aspect: 'Timeframe',
        content: [
          { label: 'Starts', value: plan.timeframe.start },
          { label: 'Ends', value: plan.timeframe.end },
        ],
      },
      {
        aspect: 'Budget',
        content: [
          { label: 'Money', value: plan.budget.money },
          { label: 'Staff time', value: plan.budget.staffHours },
        ],
      },
      { aspect: 'Key contact', content: plan.keyContact },
    ]),
  ];
}

function outcomesSection(plan: PlanDocumentData): (Paragraph | Table)[] {
  const intro = textParagraphs(
    'Each outcome is a change in pupils that the school will measure: who it applies to, ' +
      'where they start, the target and the date to reach it.',
  );
  if (plan.outcomes.length === 0) {
    return [heading('Intended outcomes', 2), ...intro, ...textParagraphs(null)];
  }

  const outcomeTables = plan.outcomes.flatMap((outcome, index) => [
    heading(`Outcome ${index + 1}`, 3),
    aspectTable([
      { aspect: 'Outcome', content: outcome.description },
      { aspect: 'Measure', content: outcome.measure },
      { aspect: 'Pupils', content: outcome.pupils },
      { aspect: 'Baseline', content: outcome.baseline },
      { aspect: 'Target', content: outcome.target },
      { aspect: 'By when', content: outcome.targetDate },
    ]),
  ]);
  return [heading('Intended outcomes', 2), ...intro, ...outcomeTables];
}

function outputsSection(plan: PlanDocumentData): (Paragraph | Table)[] {
  const intro = textParagraphs(
    'Outputs count what the service delivers, such as sessions held or pupils enrolled. ' +
      'They show that the work happened, not that pupils changed, so they are listed apart ' +
      'from the outcomes.',
  );
  if (plan.outputs.length === 0) {
    return [heading('Outputs', 2), ...intro, ...textParagraphs(null)];
  }

  const rows = plan.outputs.map((output) => [output.description, output.target]);
  return [heading('Outputs', 2), ...intro, columnTable(['Output', 'Target'], rows, [0.7, 0.3])];
}

function partTwo(plan: PlanDocumentData): (Paragraph | Table)[] {
  return [
    heading('Part 2: once you have chosen a service', 1),
    aspectTable([
      { aspect: 'Responsible senior leader', content: plan.responsibleLeader },
      { aspect: 'Evaluation strategy', content: plan.evaluationStrategy },
    ]),
  ];
}

function proportionalitySection(plan: PlanDocumentData): (Paragraph | Table)[] {
  const optional = plan.band?.optionalSections.filter((section) => !isNotGiven(section)) ?? [];
  let optionalContent: string | null = null;
  if (plan.band !== null) {
    optionalContent =
      optional.length === 0 ? 'None: this band asks for every section' : optional.join('\n');
  }

  return [
    heading('Proportionality', 1),
    ...textParagraphs(
      'The effort a plan asks for grows with the value and length of the commission. ' +
        "The school's band for this plan sets which sections may be left out.",
    ),
    aspectTable([
      { aspect: 'Band', content: plan.band?.name ?? null },
      { aspect: 'Sections this band makes optional', content: optionalContent },
    ]),
  ];
}

function approvalSection(plan: PlanDocumentData): (Paragraph | Table)[] {
  const { approval } = plan;
  if (approval === null) {
    return [
      heading('Approval record', 1),
      ...textParagraphs('This version has not been submitted for approval.'),
    ];
  }

  return [
    heading('Approval record', 1),
    aspectTable([
      { aspect: 'Submitted by', content: approval.submittedBy },
      { aspect: 'Submitted on', content: approval.submittedOn },
      { aspect: 'Decision', content: approval.decision },
      { aspect: 'Decided by', content: approval.decidedBy },
      { aspect: 'Decided on', content: approval.decidedOn },
      { aspect: 'Basis for the decision', content: approval.basis },
      { aspect: 'Comment', content: approval.comment },
    ]),
  ];
}
