/**
 * The pupil data an eligibility rule can test: each field's name as a rule writes it, its kind,
 * the values it takes, and the words that the help page and the rule builder show for it.
 */
import { ASSESSMENT_LABELS } from '../../understand/gap-analysis.js';
import {
  ETHNICITY_MAJOR_GROUPS,
  ETHNICITY_MAJOR_GROUP_LABELS,
  type EthnicityMajorGroup,
} from '../../understand/pupil-groups.js';

/** Yes-or-no conditions, written on their own: `disadvantaged`, `not eal`. */
export const FLAG_FIELDS = [
  'disadvantaged',
  'fsm',
  'ever6_fsm',
  'pupil_premium',
  'looked_after',
  'previously_looked_after',
  'service_child',
  'eal',
  'sen',
  'sen_support',
  'ehc_plan',
  'persistent_absence',
  'severe_absence',
  'suspended',
  'permanently_excluded',
] as const;

export type FlagField = (typeof FLAG_FIELDS)[number];

/** Fields compared with a percentage of the pupil's own possible sessions in the year. */
export const PERCENTAGE_FIELDS = ['attendance', 'absence'] as const;
export type PercentageField = (typeof PERCENTAGE_FIELDS)[number];

/** Fields compared with a whole number of events. */
export const COUNT_FIELDS = ['suspensions', 'interventions'] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** Fields that take one of a fixed list of words. */
export const CHOICE_FIELDS = ['sex', 'ethnicity'] as const;
export type ChoiceField = (typeof CHOICE_FIELDS)[number];

/** Fields written as `field operator value` or `field in (values)`. */
export type ValueField = 'year' | ChoiceField | PercentageField | CountField;

export type FieldKind = 'flag' | 'year' | 'choice' | 'percentage' | 'count' | 'result';

export const SEX_VALUES = ['female', 'male'] as const;
export type SexValue = (typeof SEX_VALUES)[number];

export const ETHNICITY_VALUES: readonly EthnicityMajorGroup[] = ETHNICITY_MAJOR_GROUPS;

/** Reception is written `R` in a rule and stored as year 0, so that year groups sort as numbers. */
export const RECEPTION_YEAR = 0;
export const HIGHEST_YEAR = 13;

/** Largest count a rule may name: far above any real number of suspensions or interventions. */
export const MAX_COUNT = 999;

/** Largest assessment result a rule may name; scaled scores and marks are far below it. */
export const MAX_RESULT = 9999;

/** A field as the help page and the rule builder describe it. */
export interface RuleField {
  /** The name a rule uses, for example `attendance`. */
  name: string;
  kind: FieldKind;
  /** Short name for the builder's list and the make-up table, for example "Attendance (%)". */
  label: string;
  /** Definition for the help page, with its source where it has one. */
  meaning: string;
  /** Effect of a condition on this field for a pupil with no data for it. */
  whenMissing: string;
  example: string;
}

const FLAG_MISSING =
  'A pupil with nothing recorded counts as not having it, as in the gap analysis, so `not` selects them.';
const ATTENDANCE_MISSING =
  'A pupil with no attendance recorded this year, or no possible sessions, is selected by no condition on this field, and `not` does not select them either.';
const EXCLUSION_MISSING =
  'When no suspensions or exclusions have been imported for the year, no condition on this field selects anyone, and `not` does not either. Otherwise a pupil with no record has none.';

/** Every field apart from the assessment results, which `RESULT_ALIASES` and `result "…"` name. */
export const RULE_FIELDS: readonly RuleField[] = [
  {
    name: 'disadvantaged',
    kind: 'flag',
    label: 'Disadvantaged',
    meaning:
      'Ever-6 FSM, looked after or previously looked after: the definition in DfE school performance tables.',
    whenMissing: FLAG_MISSING,
    example: 'disadvantaged',
  },
  {
    name: 'fsm',
    kind: 'flag',
    label: 'Free school meals now',
    meaning:
      'Eligible for free school meals on the spring census day of the academic year, or reported as eligible now when the file has no free school meal history.',
    whenMissing: FLAG_MISSING,
    example: 'fsm',
  },
  {
    name: 'ever6_fsm',
    kind: 'flag',
    label: 'Ever-6 FSM',
    meaning:
      'Eligible for free school meals at any time in the six years up to and including the spring census day.',
    whenMissing: FLAG_MISSING,
    example: 'ever6_fsm',
  },
  {
    name: 'pupil_premium',
    kind: 'flag',
    label: 'Pupil Premium',
    meaning:
      'Attracts Pupil Premium: Ever-6 FSM, looked after, previously looked after or a service child, or reported as eligible in the file.',
    whenMissing: FLAG_MISSING,
    example: 'pupil_premium',
  },
  {
    name: 'looked_after',
    kind: 'flag',
    label: 'Looked after',
    meaning: 'Recorded as looked after by a local authority (in care).',
    whenMissing: FLAG_MISSING,
    example: 'looked_after',
  },
  {
    name: 'previously_looked_after',
    kind: 'flag',
    label: 'Previously looked after',
    meaning:
      'Adopted from care, or left care under a special guardianship or child arrangements order.',
    whenMissing: FLAG_MISSING,
    example: 'previously_looked_after',
  },
  {
    name: 'service_child',
    kind: 'flag',
    label: 'Service child',
    meaning:
      'A parent serves in the armed forces, so the pupil attracts the service pupil premium.',
    whenMissing: FLAG_MISSING,
    example: 'service_child',
  },
  {
    name: 'eal',
    kind: 'flag',
    label: 'English as an additional language',
    meaning:
      'First language recorded as a language other than English, or the EAL flag in the file when no usable language is recorded.',
    whenMissing: FLAG_MISSING,
    example: 'eal',
  },
  {
    name: 'sen',
    kind: 'flag',
    label: 'SEN (support or EHC plan)',
    meaning: 'Special educational needs provision recorded as K (SEN support) or E (EHC plan).',
    whenMissing: FLAG_MISSING,
    example: 'sen',
  },
  {
    name: 'sen_support',
    kind: 'flag',
    label: 'SEN support',
    meaning: 'Special educational needs provision recorded as K: SEN support without an EHC plan.',
    whenMissing: FLAG_MISSING,
    example: 'sen_support',
  },
  {
    name: 'ehc_plan',
    kind: 'flag',
    label: 'EHC plan',
    meaning:
      'Special educational needs provision recorded as E: an education, health and care plan.',
    whenMissing: FLAG_MISSING,
    example: 'ehc_plan',
  },
  {
    name: 'persistent_absence',
    kind: 'flag',
    label: 'Persistently absent',
    meaning:
      'Missed 10% or more of their own possible sessions in the academic year (DfE, “A guide to absence statistics”). The same pupils as `absence >= 10%`.',
    whenMissing: ATTENDANCE_MISSING,
    example: 'persistent_absence',
  },
  {
    name: 'severe_absence',
    kind: 'flag',
    label: 'Severely absent',
    meaning:
      'Missed 50% or more of their own possible sessions in the academic year (DfE, “A guide to absence statistics”). The same pupils as `absence >= 50%`.',
    whenMissing: ATTENDANCE_MISSING,
    example: 'severe_absence',
  },
  {
    name: 'suspended',
    kind: 'flag',
    label: 'Suspended',
    meaning: 'At least one suspension in the academic year. The same pupils as `suspensions >= 1`.',
    whenMissing: EXCLUSION_MISSING,
    example: 'suspended',
  },
  {
    name: 'permanently_excluded',
    kind: 'flag',
    label: 'Permanently excluded',
    meaning: 'Permanently excluded in the academic year.',
    whenMissing: EXCLUSION_MISSING,
    example: 'permanently_excluded',
  },
  {
    name: 'year',
    kind: 'year',
    label: 'Year group',
    meaning:
      'National curriculum year group: R for reception, then 1 to 13. Nursery pupils sort below reception and year 14 above year 13.',
    whenMissing:
      'A pupil with no national curriculum year (recorded as X or not at all) is selected by no condition on this field, and `not` does not select them either.',
    example: 'year in (9, 10)',
  },
  {
    name: 'sex',
    kind: 'choice',
    label: 'Sex',
    meaning: 'Sex as recorded in the file: `female` or `male`.',
    whenMissing:
      'A pupil with no sex recorded is selected by no condition on this field, and `not` does not select them either.',
    example: 'sex = female',
  },
  {
    name: 'ethnicity',
    kind: 'choice',
    label: 'Ethnicity (major group)',
    meaning: `Major ethnic group of the four-letter DfE code, as DfE statistics report it: ${ETHNICITY_VALUES.map(
      (group) => `\`${group}\` (${ETHNICITY_MAJOR_GROUP_LABELS[group]})`,
    ).join(', ')}. Chinese pupils are in \`asian\`.`,
    whenMissing: 'A pupil with no code, or a refused or unknown one, is `unclassified`.',
    example: 'ethnicity in (black, mixed)',
  },
  {
    name: 'attendance',
    kind: 'percentage',
    label: 'Attendance (%)',
    meaning:
      'Sessions attended as a percentage of the pupil’s own possible sessions at this school in the academic year.',
    whenMissing: ATTENDANCE_MISSING,
    example: 'attendance < 90%',
  },
  {
    name: 'absence',
    kind: 'percentage',
    label: 'Absence (%)',
    meaning:
      'Sessions missed, authorised and unauthorised together, as a percentage of the pupil’s own possible sessions at this school in the academic year.',
    whenMissing: ATTENDANCE_MISSING,
    example: 'absence >= 10%',
  },
  {
    name: 'suspensions',
    kind: 'count',
    label: 'Number of suspensions',
    meaning: 'Suspensions in the academic year.',
    whenMissing: EXCLUSION_MISSING,
    example: 'suspensions >= 2',
  },
  {
    name: 'interventions',
    kind: 'count',
    label: 'Number of other interventions',
    meaning: 'Other interventions the pupil is enrolled in, each counted once.',
    whenMissing: 'A pupil in no intervention has 0.',
    example: 'interventions >= 1',
  },
];

/** A short name for an assessment key that `ASSESSMENT_LABELS` describes. */
export interface ResultAlias {
  name: string;
  /** Assessment key: stage, subject, component, method and qualifier joined by `/`. */
  key: string;
  label: string;
}

const ALIAS_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['ks2_reading', 'KS2/ENG/RD/TT/SS'],
  ['ks2_maths', 'KS2/MAT/MAT/TT/SS'],
  ['ks2_gps', 'KS2/ENG/GPS/TT/SS'],
  ['mtc', 'MTC/MAT/MTC/TT/MK'],
  ['phonics', 'PHON/ENG/PHON/TT/MK'],
];

export const RESULT_ALIASES: readonly ResultAlias[] = ALIAS_KEYS.map(([name, key]) => ({
  name,
  key,
  label: ASSESSMENT_LABELS[key] ?? key,
}));

/** Words with a meaning of their own in a rule, which no field may be called. */
export const KEYWORDS = ['and', 'or', 'not', 'in', 'intervention', 'result'] as const;

/** Finds a field by name, ignoring case. */
export function findRuleField(name: string): RuleField | undefined {
  const lower = name.toLowerCase();
  return RULE_FIELDS.find((field) => field.name === lower);
}

/** Finds a result alias by name, ignoring case. */
export function findResultAlias(name: string): ResultAlias | undefined {
  const lower = name.toLowerCase();
  return RESULT_ALIASES.find((alias) => alias.name === lower);
}

/** Returns the alias of an assessment key, or undefined when it has none. */
export function resultAliasForKey(key: string): ResultAlias | undefined {
  return RESULT_ALIASES.find((alias) => alias.key === key);
}

export function isFlagField(name: string): name is FlagField {
  return (FLAG_FIELDS as readonly string[]).includes(name);
}
