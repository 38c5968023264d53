/**
 * Evaluates an eligibility rule against pupils. Each pupil's facts are worked out once, with
 * the definitions of the gap analysis (disadvantage, Ever-6 FSM, sessions, persistent absence),
 * so that a rule and the gap pages always agree about who is in a group.
 *
 * Missing data: a comparison on data a pupil does not have is unknown rather than true or
 * false. That covers no attendance this year, no year group, no sex recorded, no numeric result
 * for the assessment, and no suspensions imported for the year. `not` of unknown is unknown,
 * `and` is false when any part is false, and `or` is true when any part is true (Kleene's
 * three-valued logic, as in SQL). Only pupils for whom the whole rule is true are selected, so
 * neither `attendance < 90%` nor `not attendance < 90%` selects a pupil with no attendance.
 * Yes-or-no facts recorded as missing (EAL, SEN, looked after and so on) count as no, as they
 * do in the gap analysis.
 */
import {
  latestNumericResults,
  PERSISTENT_ABSENCE_THRESHOLD,
  reachesAbsenceThreshold,
  SEVERE_ABSENCE_THRESHOLD,
  yearSessions,
  type AnalysisPupil,
  type Sessions,
} from '../../understand/gap-analysis.js';
import {
  ethnicityMajorGroup,
  hasEnglishAsAdditionalLanguage,
  isDisadvantaged,
  isEver6Fsm,
  isFsmNow,
  pupilPremiumEligibility,
  springCensusDate,
  yearGroup,
  type EthnicityMajorGroup,
  type YearGroup,
} from '../../understand/pupil-groups.js';
import type { FlagField, SexValue, ValueField } from './rule-fields.js';
import type { ComparisonOperator, RuleNode, RuleValue } from './rule-tree.js';

/**
 * The names of the interventions each pupil is enrolled in, by pupil id. The caller leaves out
 * the intervention the rule is being written for, so that the names are the pupil's other
 * interventions. A pupil missing from the map is in none.
 */
export type InterventionMemberships = ReadonlyMap<number, readonly string[]>;

/** True, false, or null for unknown: a pupil with no data for the condition. */
type Truth = boolean | null;

/** Facts a rule can test about one pupil in one academic year. */
export interface RuleFacts {
  pupilId: number;
  /** Null where the fact is unknown: attendance flags without sessions, exclusion flags without exclusion data. */
  flags: Readonly<Record<FlagField, boolean | null>>;
  /** Null when the pupil has no national curriculum year group (X or none). */
  yearGroup: YearGroup | null;
  sex: SexValue | null;
  ethnicity: EthnicityMajorGroup;
  /** The year's sessions at this school; null without attendance or without possible sessions. */
  sessions: Sessions | null;
  /** Suspensions in the year; null when no pupil has any exclusion record to count from. */
  suspensions: number | null;
  /** Latest numeric result by assessment key, keys in upper case. */
  results: ReadonlyMap<string, number>;
  /** Names of the pupil's other interventions, each once, as the caller gave them. */
  interventions: readonly string[];
}

/**
 * Works out the facts of each pupil for `academicYear` (its start year), in the order given.
 * FSM and Ever-6 FSM are judged at the year's spring census day. Suspensions and permanent
 * exclusions are unknown for every pupil when no pupil given has an exclusion record, because
 * some sources (the CTF among them) carry none, and "no suspensions" would then be false.
 * Throws a RangeError when `academicYear` is not a plausible start year.
 */
export function buildRuleFacts(
  pupils: readonly AnalysisPupil[],
  academicYear: number,
  memberships: InterventionMemberships,
): RuleFacts[] {
  const censusDate = springCensusDate(academicYear);
  const exclusionsKnown = pupils.some((pupil) => pupil.exclusions.length > 0);
  return pupils.map((pupil) =>
    pupilFacts(pupil, { academicYear, censusDate, exclusionsKnown, memberships }),
  );
}

interface FactContext {
  academicYear: number;
  censusDate: string;
  exclusionsKnown: boolean;
  memberships: InterventionMemberships;
}

function pupilFacts(pupil: AnalysisPupil, context: FactContext): RuleFacts {
  const { academicYear, censusDate, exclusionsKnown } = context;
  const recorded = yearSessions(pupil.attendance, academicYear);
  const sessions = recorded !== null && recorded.possible > 0 ? recorded : null;
  const exclusions = pupil.exclusions.filter(
    (exclusion) => exclusion.academicYear === academicYear,
  );
  const suspensions = exclusionsKnown
    ? exclusions.filter((exclusion) => exclusion.kind === 'suspension').length
    : null;
  const permanentlyExcluded = exclusionsKnown
    ? exclusions.some((exclusion) => exclusion.kind === 'permanent')
    : null;

  const flags: Record<FlagField, boolean | null> = {
    disadvantaged: isDisadvantaged(pupil, censusDate),
    fsm: isFsmNow(pupil, censusDate),
    ever6_fsm: isEver6Fsm(pupil, censusDate),
    pupil_premium: pupilPremiumEligibility(pupil, censusDate).eligible,
    looked_after: pupil.inCare === true,
    previously_looked_after: pupil.previouslyLookedAfter === true,
    service_child: pupil.serviceChild === true,
    eal: hasEnglishAsAdditionalLanguage(pupil) === true,
    sen: pupil.senProvision === 'K' || pupil.senProvision === 'E',
    sen_support: pupil.senProvision === 'K',
    ehc_plan: pupil.senProvision === 'E',
    persistent_absence:
      sessions === null ? null : reachesAbsenceThreshold(sessions, PERSISTENT_ABSENCE_THRESHOLD),
    severe_absence:
      sessions === null ? null : reachesAbsenceThreshold(sessions, SEVERE_ABSENCE_THRESHOLD),
    suspended: suspensions === null ? null : suspensions > 0,
    permanently_excluded: permanentlyExcluded,
  };

  return {
    pupilId: pupil.pupilId,
    flags,
    yearGroup: yearGroup(pupil.ncYear),
    sex: sexOf(pupil.sex),
    ethnicity: ethnicityMajorGroup(pupil.ethnicity),
    sessions,
    suspensions,
    results: upperCaseKeys(latestNumericResults(pupil.results)),
    interventions: distinctNames(context.memberships.get(pupil.pupilId) ?? []),
  };
}

function sexOf(sex: AnalysisPupil['sex']): SexValue | null {
  if (sex === 'F') return 'female';
  if (sex === 'M') return 'male';
  return null;
}

/** Decides whether the rule selects the pupil: true only when the whole rule is true. */
export function evaluateRule(tree: RuleNode, facts: RuleFacts): boolean {
  return truthOf(tree, facts) === true;
}

/** Keeps the pupils the rule selects, in the order given. */
export function selectPupils(tree: RuleNode, facts: readonly RuleFacts[]): RuleFacts[] {
  return facts.filter((pupil) => evaluateRule(tree, pupil));
}

function truthOf(node: RuleNode, facts: RuleFacts): Truth {
  switch (node.kind) {
    case 'and':
      return allOf(node.operands.map((operand) => truthOf(operand, facts)));
    case 'or':
      return anyOf(node.operands.map((operand) => truthOf(operand, facts)));
    case 'not': {
      const operand = truthOf(node.operand, facts);
      return operand === null ? null : !operand;
    }
    case 'flag':
      return facts.flags[node.field];
    case 'compare':
      return compareField(node.field, node.operator, node.value, facts);
    case 'in':
      return anyOf(node.values.map((value) => compareField(node.field, '=', value, facts)));
    case 'result': {
      const result = facts.results.get(node.key);
      return result === undefined ? null : compare(result, node.operator, node.value);
    }
    case 'intervention': {
      const wanted = normaliseName(node.name);
      return facts.interventions.some((name) => normaliseName(name) === wanted);
    }
  }
}

function allOf(values: readonly Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

function anyOf(values: readonly Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

function compareField(
  field: ValueField,
  operator: ComparisonOperator,
  value: RuleValue,
  facts: RuleFacts,
): Truth {
  switch (field) {
    case 'year':
      // Nursery sorts below reception (0) and year 14 above year 13, as `yearGroup` orders them.
      return facts.yearGroup === null
        ? null
        : compare(facts.yearGroup.order, operator, Number(value));
    case 'sex':
      return facts.sex === null ? null : compare(facts.sex, operator, String(value));
    case 'ethnicity':
      return compare(facts.ethnicity, operator, String(value));
    case 'attendance':
      return facts.sessions === null
        ? null
        : comparePercentage(
            facts.sessions.attended,
            facts.sessions.possible,
            operator,
            Number(value),
          );
    case 'absence':
      return facts.sessions === null
        ? null
        : comparePercentage(
            facts.sessions.missed,
            facts.sessions.possible,
            operator,
            Number(value),
          );
    case 'suspensions':
      return facts.suspensions === null
        ? null
        : compare(facts.suspensions, operator, Number(value));
    case 'interventions':
      return compare(facts.interventions.length, operator, Number(value));
  }
}

/**
 * Compares `part` ÷ `whole` as a percentage with `percentage`, which has at most two decimal
 * places, in whole numbers: `part × 10000` against `percentage × 100 × whole`. So a pupil who
 * missed exactly 10% of their sessions meets `absence >= 10%`, as they meet DfE's definition
 * of persistent absence, with no rounding error either way.
 */
function comparePercentage(
  part: number,
  whole: number,
  operator: ComparisonOperator,
  percentage: number,
): boolean {
  const hundredthsOfPercent = Math.round(percentage * 100);
  return compare(part * 10_000, operator, hundredthsOfPercent * whole);
}

function compare<T extends number | string>(
  left: T,
  operator: ComparisonOperator,
  right: T,
): boolean {
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function upperCaseKeys(results: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...results].map(([key, value]) => [key.toUpperCase(), value]));
}

/** Keeps the first spelling of each name, so that one intervention listed twice counts once. */
function distinctNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const name of names) {
    const normalised = normaliseName(name);
    if (!seen.has(normalised)) {
      seen.add(normalised);
      distinct.push(name);
    }
  }
  return distinct;
}

/** Intervention names match ignoring case and the spaces around them. */
export function normaliseName(name: string): string {
  return name.trim().toLocaleLowerCase('en-GB');
}
