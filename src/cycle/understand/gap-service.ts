import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { findSchoolById } from '../../platform/organisations/organisation-store.js';
import { loadAnalysisPupils } from './analysis-store.js';
import { analyseGaps, type GapAnalysis } from './gap-analysis.js';

export { listAnalysisYears } from './analysis-store.js';

/** Computes the group analysis of one school for one academic year (its start year). */
export async function computeSchoolGaps(
  db: Kysely<Database>,
  organisationId: number,
  academicYear: number,
): Promise<GapAnalysis> {
  const school = await findSchoolById(db, organisationId);
  if (!school) throw new Error(`School ${organisationId} does not exist`);
  const pupils = await loadAnalysisPupils(db, organisationId, school.laestab, academicYear);
  return analyseGaps(pupils, academicYear);
}
