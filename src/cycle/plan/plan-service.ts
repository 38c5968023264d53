import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { formatAcademicYear, formatLongDate } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatPence } from '../../platform/organisations/school-settings.js';
import { listAnalysisYears } from '../understand/analysis-store.js';
import { selectAudiencePupils } from './audience.js';
import {
  computeBaseline,
  findOutcomeMeasure,
  formatMeasureValue,
  QUESTIONNAIRE_MEASURE,
  type Baseline,
  type OutcomeMeasure,
} from './outcome-measures.js';
import type { PlanDetails } from './plan-details.js';
import type { PlanSnapshotForComparison } from './plan-changes.js';
import {
  sectionStates,
  sectionsMissingForSubmission,
  type SectionState,
} from './plan-readiness.js';
import {
  findPlan,
  listOutcomes,
  listOutputs,
  listPriorityChoices,
  listVersions,
  loadBands,
  type PlanOutcome,
  type PlanOutput,
  type PlanRecord,
  type PlanVersion,
} from './plan-store.js';
import {
  bandForPlan,
  durationInWeeks,
  PLAN_SECTION_LABELS,
  type ProportionalityBand,
} from './proportionality.js';
import { outcomeWarnings, planOutcomeWarnings } from './smart-outcomes.js';

/**
 * Works out an outcome's baseline from the latest academic year of pupil records, for the
 * pupils its rule selects (or the plan's target audience when it has none of its own).
 */
export async function computeOutcomeBaseline(
  db: Kysely<Database>,
  school: School,
  measure: OutcomeMeasure,
  ruleTree: string | null,
): Promise<{ baseline: Baseline; academicYear: number | null }> {
  const [academicYear] = await listAnalysisYears(db, school.id);
  if (academicYear === undefined)
    return { baseline: { value: null, pupils: 0 }, academicYear: null };
  const pupils = await selectAudiencePupils(db, school, academicYear, ruleTree);
  return { baseline: computeBaseline(measure, pupils, academicYear), academicYear };
}

export interface OutcomeView {
  id: number;
  description: string;
  measureLabel: string;
  pupils: string;
  baseline: string;
  target: string;
  targetDate: string;
  warnings: string[];
}

export interface PlanView {
  plan: PlanRecord;
  versions: PlanVersion[];
  version: PlanVersion;
  /** The version shown is the latest one. */
  isLatest: boolean;
  details: PlanDetails;
  outcomes: PlanOutcome[];
  outcomeViews: OutcomeView[];
  outputs: PlanOutput[];
  band: ProportionalityBand;
  bandProvisional: boolean;
  weeks: number | null;
  sections: SectionState[];
  missingForSubmission: SectionState[];
  planWarnings: string[];
  priorityTitle: string | null;
}

/** Loads a plan and one of its versions (the latest unless `versionNumber` is given). */
export async function loadPlanView(
  db: Kysely<Database>,
  organisationId: number,
  planId: number,
  versionNumber: number | null,
): Promise<PlanView | null> {
  const plan = await findPlan(db, organisationId, planId);
  if (!plan) return null;
  const versions = await listVersions(db, organisationId, planId);
  const latest = versions[versions.length - 1];
  const version =
    versionNumber === null
      ? latest
      : versions.find((candidate) => candidate.version === versionNumber);
  if (!version || !latest) return null;

  const outcomes = await listOutcomes(db, organisationId, version.id);
  const outputs = await listOutputs(db, organisationId, version.id);
  const bands = await loadBands(db, organisationId);
  const details = detailsOf(version);
  const { band, provisional } = bandForPlan(
    bands,
    details.budget_pence,
    details.start_date,
    details.end_date,
  );
  const sections = sectionStates(
    details,
    { outcomes: outcomes.length, outputs: outputs.length },
    band,
  );
  const priorities = await listPriorityChoices(db, organisationId);

  return {
    plan,
    versions,
    version,
    isLatest: version.id === latest.id,
    details,
    outcomes,
    outcomeViews: outcomes.map((outcome) => describeOutcome(outcome, details.end_date)),
    outputs,
    band,
    bandProvisional: provisional,
    weeks:
      details.start_date && details.end_date
        ? durationInWeeks(details.start_date, details.end_date)
        : null,
    sections,
    missingForSubmission: sectionsMissingForSubmission(sections),
    planWarnings: planOutcomeWarnings(outcomes.length),
    priorityTitle:
      priorities.find((priority) => priority.id === details.improvement_priority_id)?.title ?? null,
  };
}

export function detailsOf(version: PlanVersion): PlanDetails {
  return {
    title: version.title,
    improvement_priority_id: version.improvement_priority_id,
    alignment: version.alignment,
    audience_rule: version.audience_rule,
    audience_rule_tree: version.audience_rule_tree,
    start_date: version.start_date,
    end_date: version.end_date,
    budget_pence: version.budget_pence,
    staff_hours: version.staff_hours,
    key_contact: version.key_contact,
    responsible_leader: version.responsible_leader,
    evaluation_strategy: version.evaluation_strategy,
  };
}

/** Puts a stored outcome into words for the plan page, the Word file and the comparison. */
export function describeOutcome(outcome: PlanOutcome, planEndDate: string | null): OutcomeView {
  const measure = findOutcomeMeasure(outcome.measure);
  const measureLabel =
    measure === null
      ? outcome.measure
      : measure.key === QUESTIONNAIRE_MEASURE
        ? `Questionnaire: ${outcome.questionnaire_name ?? 'not named'}`
        : measure.label;
  const value = (figure: number) =>
    measure ? formatMeasureValue(measure, figure) : String(figure);
  const baseline = describeBaseline(outcome, measure, value);
  const warnings =
    measure === null
      ? []
      : outcomeWarnings(
          {
            description: outcome.description,
            measure,
            questionnaireName: outcome.questionnaire_name,
            target: outcome.target_value,
            targetDate: outcome.target_date,
          },
          { value: outcome.baseline_value, pupils: outcome.baseline_pupils ?? 0 },
          planEndDate,
        );
  return {
    id: outcome.id,
    description: outcome.description,
    measureLabel,
    pupils: outcome.audience_rule ?? 'The plan’s target audience',
    baseline,
    target: value(outcome.target_value),
    targetDate: formatLongDate(outcome.target_date),
    warnings,
  };
}

function describeBaseline(
  outcome: PlanOutcome,
  measure: OutcomeMeasure | null,
  value: (figure: number) => string,
): string {
  if (outcome.baseline_value === null) return 'No baseline';
  const taken = outcome.baseline_taken_at
    ? formatLongDate(outcome.baseline_taken_at.slice(0, 10))
    : null;
  if (measure?.computed === false) {
    return `${value(outcome.baseline_value)}, entered by the school${taken ? ` on ${taken}` : ''}`;
  }
  const pupils = outcome.baseline_pupils ?? 0;
  const year =
    outcome.baseline_academic_year === null
      ? ''
      : `, ${formatAcademicYear(outcome.baseline_academic_year)}`;
  return `${value(outcome.baseline_value)} (${pupils} ${pupils === 1 ? 'pupil' : 'pupils'}${year}; fixed on ${taken ?? 'an unknown date'})`;
}

/** The fields of a version in words, for comparing versions. */
export function comparableVersion(view: PlanView): PlanSnapshotForComparison {
  const { details } = view;
  return {
    fields: [
      { label: 'Title', value: details.title },
      {
        label: PLAN_SECTION_LABELS.alignment,
        value: [view.priorityTitle ?? '', details.alignment].filter(Boolean).join(': '),
      },
      { label: PLAN_SECTION_LABELS.audience, value: details.audience_rule ?? '' },
      { label: 'Start date', value: details.start_date ? formatLongDate(details.start_date) : '' },
      { label: 'End date', value: details.end_date ? formatLongDate(details.end_date) : '' },
      {
        label: 'Budget',
        value: details.budget_pence === null ? '' : formatPence(details.budget_pence),
      },
      {
        label: 'Staff time',
        value: details.staff_hours === null ? '' : `${details.staff_hours} hours`,
      },
      { label: PLAN_SECTION_LABELS.key_contact, value: details.key_contact },
      { label: PLAN_SECTION_LABELS.responsible_leader, value: details.responsible_leader },
      { label: PLAN_SECTION_LABELS.evaluation_strategy, value: details.evaluation_strategy },
    ],
    outcomes: view.outcomeViews.map(
      (outcome) =>
        `${outcome.description} — ${outcome.measureLabel}; pupils: ${outcome.pupils}; baseline ${outcome.baseline}; target ${outcome.target} by ${outcome.targetDate}`,
    ),
    outputs: view.outputs.map((output) =>
      output.target_number === null
        ? output.description
        : `${output.description} (target ${output.target_number})`,
    ),
  };
}
