import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { loadAnalysisPupils } from '../understand/analysis-store.js';
import type { AnalysisPupil } from '../understand/gap-analysis.js';
import {
  buildRuleFacts,
  selectPupils,
  type InterventionMemberships,
} from './eligibility/rule-evaluation.js';
import { parseRule, ruleTreeFromJson } from './eligibility/rule-language.js';
import { summariseSelection, type SelectionSummary } from './eligibility/rule-summary.js';
import { describeRuleError } from './eligibility/rule-view.js';

/**
 * The pupils a need, a plan or an outcome concerns, written as an eligibility rule. The rule is
 * stored as the user typed it, so nothing they wrote is rewritten, and as its parsed tree
 * (JSON), which is what selects pupils.
 */
export type AudienceRuleResult =
  { ok: true; text: string | null; tree: string | null } | { ok: false; error: string };

/** Reads a typed rule; an empty one means "no particular pupils" and is stored as null. */
export function readAudienceRule(typed: string): AudienceRuleResult {
  const text = typed.trim();
  if (text === '') return { ok: true, text: null, tree: null };
  const parsed = parseRule(text);
  if (!parsed.ok) return { ok: false, error: describeRuleError(parsed.error, text) };
  return { ok: true, text, tree: JSON.stringify(parsed.tree) };
}

/**
 * Selects the pupils on roll in `academicYear` that a stored rule tree describes, or returns
 * all of them when there is no rule.
 */
export async function selectAudiencePupils(
  db: Kysely<Database>,
  school: School,
  academicYear: number,
  ruleTree: string | null,
  memberships: InterventionMemberships = new Map(),
): Promise<AnalysisPupil[]> {
  const pupils = await loadAnalysisPupils(db, school.id, school.laestab, academicYear);
  return selectFromPupils(pupils, academicYear, ruleTree, memberships);
}

/** Selects, among pupils already loaded, those a stored rule tree describes; all for no rule. */
export function selectFromPupils(
  pupils: readonly AnalysisPupil[],
  academicYear: number,
  ruleTree: string | null,
  memberships: InterventionMemberships,
): AnalysisPupil[] {
  if (ruleTree === null) return [...pupils];
  const chosen = new Set(
    selectPupils(ruleTreeFromJson(ruleTree), buildRuleFacts(pupils, academicYear, memberships)).map(
      (facts) => facts.pupilId,
    ),
  );
  return pupils.filter((pupil) => chosen.has(pupil.pupilId));
}

/**
 * Counts the pupils a stored rule selects among pupils already loaded, and describes their
 * make-up against all of them.
 */
export function summariseAudience(
  pupils: readonly AnalysisPupil[],
  academicYear: number,
  ruleTree: string,
  memberships: InterventionMemberships,
): SelectionSummary {
  const facts = buildRuleFacts(pupils, academicYear, memberships);
  return summariseSelection(selectPupils(ruleTreeFromJson(ruleTree), facts), facts);
}

/**
 * Lists the other interventions each pupil is in. Each submitted or approved plan counts as an
 * intervention, named by its title, for the pupils its target audience selects. `exceptPlanId`
 * leaves out the plan on screen, so that it does not overlap with itself. A caller that has
 * already loaded the year's pupils passes them as `pupils`, so they are not read twice.
 */
export async function loadInterventionMemberships(
  db: Kysely<Database>,
  school: School,
  academicYear: number,
  exceptPlanId: number | null,
  pupils?: readonly AnalysisPupil[],
): Promise<InterventionMemberships> {
  const plans = await db
    .selectFrom('plan_versions')
    .select(['plan_id', 'version', 'title', 'status', 'audience_rule_tree'])
    .where('organisation_id', '=', school.id)
    .where('status', 'in', ['submitted', 'approved'])
    .where('audience_rule_tree', 'is not', null)
    .orderBy('plan_id')
    .orderBy('version')
    .execute();

  // The latest submitted or approved version of each plan stands for it.
  const latest = new Map<number, { title: string; tree: string }>();
  for (const plan of plans) {
    if (plan.plan_id === exceptPlanId || plan.audience_rule_tree === null) continue;
    latest.set(plan.plan_id, { title: plan.title, tree: plan.audience_rule_tree });
  }
  if (latest.size === 0) return new Map();

  const onRoll = pupils ?? (await loadAnalysisPupils(db, school.id, school.laestab, academicYear));
  const facts = buildRuleFacts(onRoll, academicYear, new Map());
  const memberships = new Map<number, string[]>();
  for (const { title, tree } of latest.values()) {
    for (const selected of selectPupils(ruleTreeFromJson(tree), facts)) {
      memberships.set(selected.pupilId, [...(memberships.get(selected.pupilId) ?? []), title]);
    }
  }
  return memberships;
}
