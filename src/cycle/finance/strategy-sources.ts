/**
 * Loads what a school's strategy statement is assembled from: its roll, the year's Pupil
 * Premium allocation, its plans and the needs they answer, and the inputs a leader saved.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { listAnalysisYears } from '../understand/analysis-store.js';
import { isDisadvantaged, springCensusDate } from '../understand/pupil-groups.js';
import { loadPremiumPupils } from './funding-store.js';
import {
  allocatePupilPremium,
  countPremiumPupils,
  MissingPremiumRateError,
  premiumCensus,
} from './pupil-premium.js';
import { listPremiumRates } from './reference-store.js';
import type { StrategyAllocation, StrategyRoll, StrategySources } from './strategy-statement.js';
import { findStrategyInputs, loadStrategyNeeds, loadStrategyPlans } from './strategy-store.js';

/** Loads the sources of one financial year's statement. */
export async function loadStrategySources(
  db: Kysely<Database>,
  school: School,
  financialYear: number,
): Promise<StrategySources> {
  const plans = await loadStrategyPlans(db, school.id, financialYear);
  const needs = await loadStrategyNeeds(
    db,
    school.id,
    plans.map((plan) => plan.needId),
  );
  const inputs = await findStrategyInputs(db, school.id, financialYear);

  return {
    financialYear,
    schoolName: school.name,
    roll: await loadStrategyRoll(db, school.id, financialYear),
    allocation: await workOutAllocation(db, school, financialYear),
    inputs: inputs ?? null,
    needs,
    plans,
  };
}

/**
 * Counts the pupils on roll in the latest academic year with pupil records, up to the one the
 * financial year starts in, so a statement for an earlier year never shows a later roll.
 * Disadvantaged pupils are counted on that year's spring census day, as the school overview
 * counts them. Returns null when there are no such records.
 */
export async function loadStrategyRoll(
  db: Kysely<Database>,
  organisationId: number,
  financialYear: number,
): Promise<StrategyRoll | null> {
  const years = await listAnalysisYears(db, organisationId);
  const academicYear = years.find((year) => year <= financialYear);
  if (academicYear === undefined) return null;

  const pupils = await loadPremiumPupils(db, organisationId, academicYear);
  const censusDate = springCensusDate(academicYear);
  return {
    academicYear,
    pupils: pupils.length,
    disadvantaged: pupils.filter((pupil) => isDisadvantaged(pupil, censusDate)).length,
    serviceChildren: pupils.filter((pupil) => pupil.serviceChild === true).length,
  };
}

/**
 * Works out the school's allocation as the Pupil Premium page does, from the October census
 * before the financial year. With no pupil records for that census the allocation is not
 * known rather than £0.
 */
async function workOutAllocation(
  db: Kysely<Database>,
  school: School,
  financialYear: number,
): Promise<StrategyAllocation> {
  const census = premiumCensus(financialYear);
  const pupils = await loadPremiumPupils(db, school.id, census.academicYear);
  if (pupils.length === 0) {
    return {
      kind: 'no_census_pupils',
      academicYear: census.academicYear,
      censusDate: census.censusDate,
    };
  }

  // TODO: the allocation DfE publishes cannot be entered, so the statement uses this estimate.
  const counted = countPremiumPupils(pupils, census.censusDate, school.phase);
  const rates = await listPremiumRates(db, school.id);
  try {
    const allocation = allocatePupilPremium(financialYear, counted.counts, rates);
    return {
      kind: 'worked_out',
      schoolPence: allocation.schoolPence,
      estimate: allocation.unconfirmedCategories.length > 0,
      censusDate: census.censusDate,
    };
  } catch (error) {
    if (!(error instanceof MissingPremiumRateError)) throw error;
    return { kind: 'missing_rates', message: error.message };
  }
}
