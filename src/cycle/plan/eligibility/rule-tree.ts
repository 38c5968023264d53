/**
 * The parsed form of an eligibility rule: a JSON-serialisable tree that is stored beside the
 * rule's text, and the checks that a tree read back from storage is one the parser could
 * have produced.
 */
import { z } from 'zod';
import {
  CHOICE_FIELDS,
  COUNT_FIELDS,
  ETHNICITY_VALUES,
  FLAG_FIELDS,
  HIGHEST_YEAR,
  MAX_COUNT,
  MAX_RESULT,
  PERCENTAGE_FIELDS,
  RECEPTION_YEAR,
  SEX_VALUES,
  type FieldKind,
  type FlagField,
  type ValueField,
} from './rule-fields.js';

export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** A value in a condition: a number, or a word for `sex` and `ethnicity`. */
export type RuleValue = number | string;

/** True when every operand is true. Always has at least two operands. */
export interface AndNode {
  kind: 'and';
  operands: RuleNode[];
}

/** True when any operand is true. Always has at least two operands. */
export interface OrNode {
  kind: 'or';
  operands: RuleNode[];
}

export interface NotNode {
  kind: 'not';
  operand: RuleNode;
}

export interface FlagCondition {
  kind: 'flag';
  field: FlagField;
}

/**
 * `field operator value`. Year groups are numbers, with 0 for reception. Percentages are numbers
 * from 0 to 100 with at most two decimal places, and counts are whole numbers. `sex` and
 * `ethnicity` take the lower-case words of `SEX_VALUES` and `ETHNICITY_VALUES`.
 */
export interface CompareCondition {
  kind: 'compare';
  field: ValueField;
  operator: ComparisonOperator;
  value: RuleValue;
}

/** `field in (values)`: true when the pupil's value equals any of them. */
export interface ListCondition {
  kind: 'in';
  field: ValueField;
  values: RuleValue[];
}

/** A comparison with the pupil's latest numeric result for one assessment key. */
export interface ResultCondition {
  kind: 'result';
  /** Five parts joined by `/`, for example `KS2/MAT/MAT/TT/SS`. */
  key: string;
  operator: ComparisonOperator;
  value: number;
}

/** True when the pupil is enrolled in another intervention of this name, ignoring case. */
export interface InterventionCondition {
  kind: 'intervention';
  name: string;
}

export type RuleNode =
  | AndNode
  | OrNode
  | NotNode
  | FlagCondition
  | CompareCondition
  | ListCondition
  | ResultCondition
  | InterventionCondition;

/** Maximum nesting of `and`, `or` and `not` in a rule. Real rules use two or three levels. */
export const MAX_RULE_DEPTH = 24;

/** Maximum length of an intervention name in a rule, in characters. */
export const MAX_INTERVENTION_NAME_LENGTH = 200;

/** Operators that each kind of field accepts, `in` included. */
export const OPERATORS_BY_KIND: Readonly<
  Record<Exclude<FieldKind, 'flag'>, readonly (ComparisonOperator | 'in')[]>
> = {
  year: [...COMPARISON_OPERATORS, 'in'],
  choice: ['=', '!=', 'in'],
  percentage: COMPARISON_OPERATORS,
  count: [...COMPARISON_OPERATORS, 'in'],
  result: COMPARISON_OPERATORS,
};

/** Kind of each value field. */
export function kindOfField(field: ValueField): Exclude<FieldKind, 'flag' | 'result'> {
  if (field === 'year') return 'year';
  if ((CHOICE_FIELDS as readonly string[]).includes(field)) return 'choice';
  if ((PERCENTAGE_FIELDS as readonly string[]).includes(field)) return 'percentage';
  return 'count';
}

export function isYearValue(value: number): boolean {
  return Number.isInteger(value) && value >= RECEPTION_YEAR && value <= HIGHEST_YEAR;
}

export function isPercentageValue(value: number): boolean {
  return value >= 0 && value <= 100 && hasAtMostTwoDecimals(value);
}

export function isCountValue(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
}

export function isResultValue(value: number): boolean {
  return value >= 0 && value <= MAX_RESULT && hasAtMostTwoDecimals(value);
}

/**
 * An assessment key in upper case: five parts joined by `/`, as `assessmentKey` builds it. Only
 * the stage must be given; any other part may be empty.
 */
export const ASSESSMENT_KEY_PATTERN = /^[A-Z0-9_.-]+(?:\/[A-Z0-9_.-]*){4}$/;

function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Math.abs(Math.round(value * 100) - value * 100) < 1e-9;
}

/**
 * Describes what is wrong with one value of a value field, or returns null when it is valid.
 * The parser gives its own, fuller messages, so this check guards trees read from storage.
 */
function valueProblem(field: ValueField, value: RuleValue): string | null {
  const kind = kindOfField(field);
  if (kind === 'choice') {
    const allowed: readonly string[] = field === 'sex' ? SEX_VALUES : ETHNICITY_VALUES;
    return typeof value === 'string' && allowed.includes(value)
      ? null
      : `${field} must be one of ${allowed.join(', ')}`;
  }
  if (typeof value !== 'number') return `${field} must be compared with a number`;
  const valid = {
    year: isYearValue,
    percentage: isPercentageValue,
    count: isCountValue,
  }[kind](value);
  return valid ? null : `${value} is not a valid value for ${field}`;
}

const operatorSchema = z.enum(COMPARISON_OPERATORS);
const valueFieldSchema = z.enum(['year', ...CHOICE_FIELDS, ...PERCENTAGE_FIELDS, ...COUNT_FIELDS]);
const valueSchema = z.union([z.number(), z.string()]);

const ruleNodeSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal('and'), operands: z.array(ruleNodeSchema).min(2) }),
    z.strictObject({ kind: z.literal('or'), operands: z.array(ruleNodeSchema).min(2) }),
    z.strictObject({ kind: z.literal('not'), operand: ruleNodeSchema }),
    z.strictObject({ kind: z.literal('flag'), field: z.enum(FLAG_FIELDS) }),
    z.strictObject({
      kind: z.literal('compare'),
      field: valueFieldSchema,
      operator: operatorSchema,
      value: valueSchema,
    }),
    z.strictObject({
      kind: z.literal('in'),
      field: valueFieldSchema,
      values: z.array(valueSchema).min(1),
    }),
    z.strictObject({
      kind: z.literal('result'),
      key: z.string().regex(ASSESSMENT_KEY_PATTERN),
      operator: operatorSchema,
      value: z.number().refine(isResultValue, 'Result must be from 0 to 9999, to 2 decimal places'),
    }),
    z.strictObject({
      kind: z.literal('intervention'),
      name: z
        .string()
        .max(MAX_INTERVENTION_NAME_LENGTH)
        .refine((name) => name.trim() !== '', 'Intervention name must not be blank'),
    }),
  ]),
);

/** Raised when a stored rule tree is not one the parser could have produced. */
export class InvalidRuleTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRuleTreeError';
  }
}

/**
 * Reads a rule tree stored as JSON and checks it: its shape with Zod, then each condition's
 * operator and values against its field, and its depth against `MAX_RULE_DEPTH`.
 * Throws `InvalidRuleTreeError` naming the first problem found.
 */
export function ruleTreeFromJson(json: string): RuleNode {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new InvalidRuleTreeError(`Stored rule tree is not valid JSON: ${String(error)}`);
  }

  const parsed = ruleNodeSchema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidRuleTreeError(`Stored rule tree is invalid: ${z.prettifyError(parsed.error)}`);
  }

  const problem = treeProblem(parsed.data, 1);
  if (problem !== null) throw new InvalidRuleTreeError(`Stored rule tree is invalid: ${problem}`);
  return parsed.data;
}

/** Describes the first condition in `node` that breaks a rule of the language, or returns null. */
function treeProblem(node: RuleNode, depth: number): string | null {
  if (depth > MAX_RULE_DEPTH) return `rules nest at most ${MAX_RULE_DEPTH} levels deep`;
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const operand of node.operands) {
        const problem = treeProblem(operand, depth + 1);
        if (problem !== null) return problem;
      }
      return null;
    case 'not':
      return treeProblem(node.operand, depth + 1);
    case 'compare': {
      const allowed = OPERATORS_BY_KIND[kindOfField(node.field)];
      if (!allowed.includes(node.operator)) {
        return `${node.field} cannot be compared with ${node.operator}`;
      }
      return valueProblem(node.field, node.value);
    }
    case 'in': {
      if (!OPERATORS_BY_KIND[kindOfField(node.field)].includes('in')) {
        return `${node.field} cannot be used with in`;
      }
      for (const value of node.values) {
        const problem = valueProblem(node.field, value);
        if (problem !== null) return problem;
      }
      return null;
    }
    case 'flag':
    case 'result':
    case 'intervention':
      return null;
  }
}
