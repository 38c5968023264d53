import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { loadAnalysisPupils } from '../understand/analysis-store.js';
import type { AnalysisPupil } from '../understand/gap-analysis.js';

/**
 * Reads a typed eligibility rule into the text and parsed tree a plan stores.
 */
export type AudienceRuleResult =
  { ok: true; text: string | null; tree: string | null } | { ok: false; error: string };

// TODO: parse with the eligibility rule language once it lands; until then any text is kept.
export function readAudienceRule(typed: string): AudienceRuleResult {
  const text = typed.trim();
  return { ok: true, text: text === '' ? null : text, tree: null };
}

/** The pupils on roll in `academicYear` that a stored rule tree selects; all of them for none. */
export async function selectAudiencePupils(
  db: Kysely<Database>,
  school: School,
  academicYear: number,
  _ruleTree: string | null,
): Promise<AnalysisPupil[]> {
  return loadAnalysisPupils(db, school.id, school.laestab, academicYear);
}
