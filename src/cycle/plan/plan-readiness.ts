import type { PlanDetails } from './plan-details.js';
import {
  AFTER_SERVICE_CHOSEN,
  PLAN_SECTION_LABELS,
  requiredSectionsOf,
  type PlanSection,
  type ProportionalityBand,
} from './proportionality.js';

export interface SectionState {
  section: PlanSection;
  label: string;
  complete: boolean;
  required: boolean;
  /** True for sections completed once a service is chosen, after approval. */
  afterServiceChosen: boolean;
}

/** Reports whether each section of the plan is complete and whether the plan's band requires it. */
export function sectionStates(
  details: PlanDetails,
  counts: { outcomes: number; outputs: number },
  band: ProportionalityBand,
): SectionState[] {
  const required = new Set(requiredSectionsOf(band));
  const complete: Record<PlanSection, boolean> = {
    outcomes: counts.outcomes > 0,
    alignment: details.improvement_priority_id !== null || details.alignment !== '',
    audience: details.audience_rule !== null,
    timeframe: details.start_date !== null && details.end_date !== null,
    budget: details.budget_pence !== null,
    key_contact: details.key_contact !== '',
    outputs: counts.outputs > 0,
    responsible_leader: details.responsible_leader !== '',
    evaluation_strategy: details.evaluation_strategy !== '',
  };
  return (Object.keys(PLAN_SECTION_LABELS) as PlanSection[]).map((section) => ({
    section,
    label: PLAN_SECTION_LABELS[section],
    complete: complete[section],
    required: required.has(section),
    afterServiceChosen: AFTER_SERVICE_CHOSEN.has(section),
  }));
}

/**
 * Sections that must be complete before the plan can be submitted: those its band requires,
 * apart from the ones that wait until a service is chosen.
 */
export function sectionsMissingForSubmission(states: readonly SectionState[]): SectionState[] {
  return states.filter((state) => state.required && !state.afterServiceChosen && !state.complete);
}
