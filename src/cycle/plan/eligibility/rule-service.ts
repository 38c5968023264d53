import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { findSchoolById } from '../../../platform/organisations/organisation-store.js';
import { loadAnalysisPupils } from '../../understand/analysis-store.js';
import { buildRuleFacts, selectPupils, type InterventionMemberships } from './rule-evaluation.js';
import { summariseSelection, type SelectionSummary } from './rule-summary.js';
import type { RuleNode } from './rule-tree.js';

export interface RuleSelection {
  /** Ids of the selected pupils, in ascending order. */
  pupilIds: number[];
  summary: SelectionSummary;
}

/**
 * Selects the pupils of one school that a rule describes in one academic year (its start
 * year), from the pupils on roll that year, and summarises them. Evaluation runs in
 * TypeScript over the loaded pupils rather than in SQL, so SQLite and PostgreSQL select the
 * same pupils. `memberships` gives each pupil's other interventions; without it, no pupil is
 * in any. Throws when the school does not exist.
 */
export async function evaluateRuleForSchool(
  db: Kysely<Database>,
  organisationId: number,
  academicYear: number,
  tree: RuleNode,
  memberships: InterventionMemberships = new Map(),
): Promise<RuleSelection> {
  const school = await findSchoolById(db, organisationId);
  if (!school) throw new Error(`School ${organisationId} does not exist`);

  const pupils = await loadAnalysisPupils(db, organisationId, school.laestab, academicYear);
  const facts = buildRuleFacts(pupils, academicYear, memberships);
  const selected = selectPupils(tree, facts);
  return {
    pupilIds: selected.map((pupil) => pupil.pupilId).sort((a, b) => a - b),
    summary: summariseSelection(selected, facts),
  };
}
