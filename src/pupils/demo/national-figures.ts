/**
 * National figures for England that shape the synthetic demo school, so that its groups and
 * gaps look like a typical school's.
 *
 * Each figure names its DfE release. The headline figures were read from the releases' pages on
 * explore-education-statistics.service.gov.uk or, where marked "as reported", from published
 * summaries that quote the release. "Estimate" marks a figure chosen for the demo that no
 * release gives directly, with the reasoning behind it. These shape synthetic data only: the
 * analysis never reads them.
 */

export type Phase = 'primary' | 'secondary';

/**
 * SEN provision, all schools, January 2025: SEN support 14.2% of pupils, EHC plan 5.3%.
 * Boys are 61% of pupils on SEN support and 71% of pupils with an EHC plan.
 * Source: DfE "Special educational needs in England", academic year 2024/25, as reported.
 * NOTE: the EHC share includes special schools, where most pupils have a plan, so it is higher
 * than a mainstream school's. The mainstream figure was not confirmed.
 */
export const SEN = {
  supportShare: 0.142,
  ehcPlanShare: 0.053,
  boysShareOfSupport: 0.61,
  boysShareOfEhcPlans: 0.71,
} as const;

/**
 * Free school meal eligibility by SEN provision, January 2025: 43.8% of pupils with an EHC
 * plan, 39.3% of pupils on SEN support and 22.2% of pupils without SEN.
 * Source: DfE "Special educational needs in England", 2024/25, as reported. Weighted by the
 * SEN shares above, these give about 25.8% of all pupils eligible.
 * NOTE: the all-pupil FSM figure for January 2025 in DfE "Schools, pupils and their
 * characteristics" 2024/25 was not confirmed; the 2023/24 release gave 24.6% (as reported).
 */
export const FSM_BY_SEN = {
  ehcPlan: 0.438,
  senSupport: 0.393,
  noSen: 0.222,
} as const;

/**
 * Pupils eligible for FSM at some point in the last six years but not now, as a share of all
 * pupils. Estimate: small, because pupils who became eligible from April 2018 kept their
 * eligibility until March 2025 under Universal Credit transitional protection (DfE "Schools,
 * pupils and their characteristics" 2022/23, as reported).
 */
export const EVER6_NOT_NOW_SHARE = 0.03;

/**
 * Pupils whose only FSM eligibility ended more than six years before the census day, so that
 * they are not disadvantaged. Estimate; only pupils who started school that long ago can have it.
 */
export const OLD_FSM_ONLY_SHARE = 0.01;

/**
 * Looked-after children as a share of pupils. Estimate: about 7 in 1,000 children in England
 * are looked after; the DfE "Children looked after in England" count was not confirmed here.
 */
export const LOOKED_AFTER_SHARE = 0.007;

/**
 * Pupils whose first language is known or believed to be other than English: about one in
 * five pupils in January 2023. Source: DfE "Schools, pupils and their characteristics"
 * 2022/23, as reported. NOTE: the 2024/25 figure and the secondary-only figure were not
 * confirmed; the demo reaches about 20% through the ethnicity mix in `synthetic-people.ts`.
 */
export const EAL_SHARE = 0.2;

/**
 * Overall absence, full year 2023/24: 7.1% of possible sessions (primary 5.5%, secondary 8.9%).
 * Authorised and unauthorised: primary 3.9% and 1.6%, secondary 5.4% and 3.5%.
 * By term: autumn 6.7%, spring 7.2%, summer 7.6%.
 * Source: DfE "Pupil absence in schools in England", academic year 2023/24.
 */
export const ABSENCE = {
  overallRate: { primary: 0.055, secondary: 0.089 },
  unauthorisedShareOfAbsence: { primary: 0.016 / 0.055, secondary: 0.035 / 0.089 },
  termRate: { autumn: 0.067, spring: 0.072, summer: 0.076 },
  yearRate: 0.071,
} as const;

/**
 * How much more absent a group is than the rest, as a multiple of the rate of pupils outside it.
 *
 * Published rates, autumn term 2023/24: FSM 10.4% against 5.5% not FSM; EHC plan 12.4%, SEN
 * support 10.3%, no SEN 6.1%. Source: DfE "Pupil attendance in schools", autumn term 2023/24.
 * Estimate: the multipliers are below the published ratios (1.9, 2.0 and 1.7) because FSM and SEN
 * overlap, and each pupil's rate multiplies the factors for all their groups.
 */
export const ABSENCE_MULTIPLIER = {
  disadvantaged: 1.7,
  ehcPlan: 1.6,
  senSupport: 1.4,
} as const;

/**
 * Spread of pupils' own absence rates: each pupil's rate is drawn from a beta distribution with
 * the pupil's mean and this concentration (a + b). Estimate, tuned against two published rates:
 * persistent absence of 24.6% of secondary pupils in autumn 2023/24 (as reported from DfE "Pupil
 * attendance in schools") and severe absence of about 2% of pupils (2.2% in spring 2023/24, as
 * reported). One beta distribution cannot meet both: at 3.5 a 5,000-pupil demo secondary school
 * has about 29% persistently and 3% severely absent, and a primary school about 18% and 1.5%.
 * More spread would lower persistent absence but raise severe absence further.
 */
export const ABSENCE_CONCENTRATION = 3.5;

/**
 * Unauthorised absence is a larger share of a disadvantaged pupil's absence. Estimate: ten
 * percentage points above the phase's share.
 */
export const DISADVANTAGED_EXTRA_UNAUTHORISED_SHARE = 0.1;

/**
 * Half-day sessions in each term of a full school year. Schools must meet for 380 sessions
 * (190 days) a year; the split across terms is an estimate, because each school sets its own
 * term dates.
 */
export const POSSIBLE_SESSIONS = { autumn: 140, spring: 120, summer: 120 } as const;

/**
 * Suspensions. All state-funded schools, 2023/24: 955,000 suspensions, a rate of 11.31 per 100
 * pupils. Source: DfE "Suspensions and permanent exclusions in England", academic year 2023/24.
 *
 * Estimate by phase: in autumn 2023/24 primary schools had about 11% of suspensions (37,695 of
 * 346,300, as reported) with about half of all pupils, so the secondary rate is near 23 per 100
 * pupils and the primary rate near 2.3.
 * Estimate: a suspended pupil has about 2.3 suspensions in a year.
 * Length: 660,463 days were lost to 346,300 suspensions in autumn 2023/24 (as reported), about
 * 1.9 days each.
 * Suspension rates of FSM pupils were more than four times those of other pupils in autumn
 * 2023/24 (as reported).
 */
export const SUSPENSIONS = {
  ratePer100: { primary: 2.3, secondary: 23 },
  disadvantagedMultiplier: 4,
  /** Estimate: pupils on SEN support or with an EHC plan are suspended more often. */
  senMultiplier: 2,
  /** Suspensions per suspended pupil, weighted; the mean is about 2.3. */
  countWeights: [
    [1, 45],
    [2, 22],
    [3, 13],
    [4, 8],
    [5, 5],
    [6, 4],
    [8, 3],
  ] as const,
  /** Days lost per suspension, weighted; the mean is about 1.8 days. */
  dayWeights: [
    [1, 55],
    [2, 25],
    [3, 12],
    [5, 8],
  ] as const,
} as const;

/**
 * Reasons recorded for suspensions, weighted; the demo uses the same weights for permanent
 * exclusions. Persistent disruptive behaviour was 50% of the reasons given for suspensions in
 * autumn 2023/24, followed by verbal abuse or threatening behaviour against an adult and then
 * physical assault against a pupil (as reported from DfE "Suspensions and permanent exclusions
 * in England", autumn term 2023/24). The other weights are illustrative.
 */
export const EXCLUSION_REASONS: readonly (readonly [string, number])[] = [
  ['Persistent disruptive behaviour', 50],
  ['Verbal abuse or threatening behaviour against an adult', 15],
  ['Physical assault against a pupil', 12],
  ['Verbal abuse or threatening behaviour against a pupil', 6],
  ['Physical assault against an adult', 4],
  ['Damage', 3],
  ['Use or threat of use of an offensive weapon or prohibited item', 2],
  ['Bullying', 2],
  ['Drug and alcohol related', 3],
];

/**
 * Permanent exclusions: a rate of 0.05 per 100 pupils in autumn 2023/24 across all schools, and
 * FSM pupils' rate about 6.5 times other pupils' (as reported from DfE "Suspensions and
 * permanent exclusions in England", autumn term 2023/24).
 * Estimate for a full year by phase: 0.3 per 100 secondary pupils and 0.02 per 100 primary pupils.
 */
export const PERMANENT_EXCLUSIONS = {
  ratePer100: { primary: 0.02, secondary: 0.3 },
  disadvantagedMultiplier: 6.5,
} as const;

/**
 * Key stage 2, 2024: average scaled scores of 105 in reading, 104 in maths and 105 in grammar,
 * punctuation and spelling. These are the national figures as schools publish them beside their
 * own, not read from the DfE release. Expected standard: reading 74%, maths 73%, writing 72%, grammar,
 * punctuation and spelling 72%, science 81%; reading, writing and maths combined 45% of
 * disadvantaged pupils against 67% of others. Source: DfE "Key stage 2 attainment", academic
 * year 2023/24, as reported. Scaled scores run from 80 to 120, and 100 is the expected standard.
 *
 * Estimates: scores have a standard deviation of 7.5 points. Disadvantaged pupils score 4 points
 * lower, which in a 5,000-pupil demo school puts about 60% of them at the expected standard in
 * reading against about 80% of others. Pupils on SEN support score 6 points lower and pupils
 * with an EHC plan 10 points lower.
 */
export const KEY_STAGE_2 = {
  meanScaledScore: { reading: 105, maths: 104, grammar: 105 },
  standardDeviation: 7.5,
  expectedStandardShare: { writing: 0.72, science: 0.81 },
  shift: { disadvantaged: -4, senSupport: -6, ehcPlan: -10 },
  minimumScaledScore: 80,
  maximumScaledScore: 120,
} as const;

/**
 * Other statutory assessments, all estimates not confirmed from DfE releases. In the phonics
 * screening check about 80% of pupils reach the threshold mark of 32 out of 40. The
 * multiplication tables check has a mean of about 20 out of 25. In key stage 1 teacher
 * assessment about 68% of pupils reach the expected standard.
 */
export const OTHER_ASSESSMENTS = {
  phonicsThresholdShare: 0.8,
  multiplicationMeanScore: 20,
  keyStage1ExpectedShare: 0.68,
} as const;

/**
 * Summers in which statutory primary assessments did not take place: key stage 1, key stage 2
 * and the phonics screening check were cancelled in 2020 and 2021 because of the COVID-19
 * pandemic (DfE "Key stage 2 attainment": "There were no assessments in 2020 and 2021").
 * The multiplication tables check became statutory from June 2022, and key stage 1 assessments
 * became optional from 2023/24, so the demo writes them for 2022 onwards and up to 2023.
 */
export const CANCELLED_ASSESSMENT_SUMMERS: readonly number[] = [2020, 2021];
export const FIRST_MULTIPLICATION_CHECK_SUMMER = 2022;
export const LAST_STATUTORY_KEY_STAGE_1_SUMMER = 2023;
