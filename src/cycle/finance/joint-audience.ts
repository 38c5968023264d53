import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { loadInterventionMemberships, selectFromPupils } from '../plan/audience.js';
import { listAnalysisYears, loadAnalysisPupils } from '../understand/analysis-store.js';

/** How many of one school's pupils a plan's target audience selects, and in which year. */
export interface SchoolAudience {
  /** Start year of the latest academic year with the school's pupil records. */
  academicYear: number;
  pupils: number;
}

/**
 * Counts the pupils of `school` that a joint commission's target audience rule selects, in the
 * school's latest academic year of pupil records, or returns null when the school has loaded
 * none. The rule is evaluated against this school's pupils only, with this school's own plans
 * as the other interventions, so the lead school's pupils never enter the count. A null rule
 * selects every pupil on roll.
 */
export async function countSchoolAudience(
  db: Kysely<Database>,
  school: School,
  ruleTree: string | null,
): Promise<SchoolAudience | null> {
  const [academicYear] = await listAnalysisYears(db, school.id);
  if (academicYear === undefined) return null;

  const onRoll = await loadAnalysisPupils(db, school.id, school.laestab, academicYear);
  const memberships = await loadInterventionMemberships(db, school, academicYear, null, onRoll);
  const pupils = selectFromPupils(onRoll, academicYear, ruleTree, memberships);
  return { academicYear, pupils: pupils.length };
}
