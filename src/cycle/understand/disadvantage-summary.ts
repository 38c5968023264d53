import type { AnalysisPupil } from './gap-analysis.js';
import {
  isDisadvantaged,
  isFsmNow,
  pupilPremiumEligibility,
  springCensusDate,
  type PupilPremiumReason,
} from './pupil-groups.js';

/** Counts of pupils by disadvantage and Pupil Premium eligibility in one academic year. */
export interface DisadvantageSummary {
  academicYear: number;
  censusDate: string;
  pupils: number;
  disadvantaged: number;
  fsmNow: number;
  pupilPremium: number;
  /** Pupils eligible for each reason; a pupil with two reasons is counted under both. */
  byReason: Record<PupilPremiumReason, number>;
}

/**
 * Counts the school's disadvantaged and Pupil Premium pupils on the year's spring census day,
 * with the same definitions as the group analysis.
 */
export function summariseDisadvantage(
  pupils: readonly AnalysisPupil[],
  academicYear: number,
): DisadvantageSummary {
  const censusDate = springCensusDate(academicYear);
  const summary: DisadvantageSummary = {
    academicYear,
    censusDate,
    pupils: pupils.length,
    disadvantaged: 0,
    fsmNow: 0,
    pupilPremium: 0,
    byReason: { ever6_fsm: 0, looked_after: 0, previously_looked_after: 0, service_child: 0 },
  };

  for (const pupil of pupils) {
    if (isDisadvantaged(pupil, censusDate)) summary.disadvantaged += 1;
    if (isFsmNow(pupil, censusDate)) summary.fsmNow += 1;

    const eligibility = pupilPremiumEligibility(pupil, censusDate);
    if (eligibility.eligible) summary.pupilPremium += 1;
    for (const reason of eligibility.reasons) summary.byReason[reason] += 1;
  }
  return summary;
}
