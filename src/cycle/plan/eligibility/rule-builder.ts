/**
 * The rule builder: a form of a few conditions, each a field, an operator and a value, joined
 * by "all of" or "any of". It writes the rule as text, so that it works without JavaScript and
 * the user can read and copy the rule it stands for.
 */
import { RESULT_ALIASES, RULE_FIELDS, type FieldKind } from './rule-fields.js';
import { quote } from './rule-format.js';
import { parseRule } from './rule-language.js';

/** Conditions the builder form offers; blank ones are skipped. */
export const BUILDER_ROWS = 4;

/** A choice in the builder's list of fields. `intervention` tests membership of one by name. */
export interface BuilderField {
  value: string;
  text: string;
  kind: FieldKind | 'intervention';
}

export const BUILDER_FIELDS: readonly BuilderField[] = [
  ...RULE_FIELDS.map((field) => ({ value: field.name, text: field.label, kind: field.kind })),
  ...RESULT_ALIASES.map((alias) => ({
    value: alias.name,
    text: alias.label,
    kind: 'result' as const,
  })),
  { value: 'intervention', text: 'In another intervention named', kind: 'intervention' },
];

export interface BuilderOperator {
  value: string;
  text: string;
  /** Operator written into the rule: a comparison operator, or `in` for a list of values. */
  rule: string;
}

export const BUILDER_OPERATORS: readonly BuilderOperator[] = [
  { value: 'is', text: 'is', rule: '=' },
  { value: 'is-not', text: 'is not', rule: '!=' },
  { value: 'less', text: 'is less than', rule: '<' },
  { value: 'at-most', text: 'is at most', rule: '<=' },
  { value: 'more', text: 'is more than', rule: '>' },
  { value: 'at-least', text: 'is at least', rule: '>=' },
  { value: 'one-of', text: 'is one of', rule: 'in' },
];

/** One condition as the form sent it, each part exactly as typed or chosen. */
export interface BuilderRow {
  field: string;
  operator: string;
  value: string;
}

export interface BuilderInput {
  /** `all` joins the conditions with and, `any` with or. */
  combine: string;
  rows: readonly BuilderRow[];
}

/** A problem with one part of the builder form; `row` counts from 1. */
export interface BuilderError {
  row: number;
  part: 'combine' | 'field' | 'operator' | 'value';
  message: string;
}

export type BuilderResult = { ok: true; text: string } | { ok: false; errors: BuilderError[] };

/**
 * Writes the rule that the builder's conditions describe, or lists every problem found, each
 * on the part of the form to change. A percentage typed without `%` gets one, because the
 * field's label already states that it is a percentage.
 */
export function buildRuleText(input: BuilderInput): BuilderResult {
  const errors: BuilderError[] = [];
  const conditions: string[] = [];

  input.rows.forEach((row, index) => {
    const condition = conditionText(row, index + 1);
    if (condition === null) return;
    if ('error' in condition) errors.push(condition.error);
    else conditions.push(condition.text);
  });

  if (conditions.length === 0 && errors.length === 0) {
    errors.push({ row: 1, part: 'field', message: 'Choose a field for at least one condition' });
  }
  if (conditions.length > 1 && input.combine !== 'all' && input.combine !== 'any') {
    errors.push({
      row: 1,
      part: 'combine',
      message: 'Choose whether pupils must meet all or any of the conditions',
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, text: conditions.join(input.combine === 'any' ? ' or ' : ' and ') };
}

/** Writes one condition, or returns null for a blank row. */
function conditionText(
  row: BuilderRow,
  rowNumber: number,
): { text: string } | { error: BuilderError } | null {
  const failure = (part: BuilderError['part'], message: string) => ({
    error: { row: rowNumber, part, message: `Condition ${rowNumber}: ${message}` },
  });
  const value = row.value.trim();
  if (row.field === '') {
    return value === '' ? null : failure('field', 'choose what the condition tests');
  }

  const field = BUILDER_FIELDS.find((candidate) => candidate.value === row.field);
  if (field === undefined) return failure('field', 'choose a field from the list');
  const operator = BUILDER_OPERATORS.find((candidate) => candidate.value === row.operator);
  if (operator === undefined) return failure('operator', 'choose how to compare');

  const yesOrNo = field.kind === 'flag' || field.kind === 'intervention';
  if (yesOrNo && operator.value !== 'is' && operator.value !== 'is-not') {
    return failure('operator', `choose “is” or “is not” for ${field.text}`);
  }
  if (field.kind === 'flag') {
    if (value !== '') {
      return failure('value', `leave the value empty, because ${field.text} is yes or no`);
    }
    return { text: operator.value === 'is' ? field.value : `not ${field.value}` };
  }
  if (value === '') return failure('value', `enter a value for ${field.text}`);
  if (field.kind === 'intervention') {
    return { text: `${operator.value === 'is' ? '' : 'not '}in intervention ${quote(value)}` };
  }

  const typedValue = operator.rule === 'in' ? `(${value.replace(/^\(|\)$/g, '')})` : value;
  const written =
    field.kind === 'percentage' ? typedValue.replace(/(\d)(?=\s*(?:[,)]|$))/g, '$1%') : typedValue;
  const text = `${field.value} ${operator.rule} ${written}`;
  const parsed = parseRule(text);
  if (parsed.ok) return { text };

  // The field and operator come from lists, so a problem is almost always in the value.
  const valueStart = field.value.length + operator.rule.length + 3;
  const part = parsed.error.position >= valueStart ? 'value' : 'operator';
  return failure(part, `${lowerFirst(parsed.error.message)}. ${parsed.error.fix}`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
