/**
 * The content of the help page on eligibility rules that comes from the language itself: the
 * fields, the result names and the common mistakes with the messages the parser gives for them.
 * Built from the same tables and parser the app uses, so the page cannot drift from them.
 */
import { MAX_RULE_LENGTH, parseRule } from './rule-language.js';
import { RESULT_ALIASES, RULE_FIELDS, type FieldKind } from './rule-fields.js';

const KIND_VALUES: Readonly<Record<FieldKind, string>> = {
  flag: 'Yes or no: write the name on its own, or after `not`',
  year: '`R` or 1 to 13',
  choice: 'A word from the list in the meaning',
  percentage: 'A percentage from `0%` to `100%`, to at most 2 decimal places',
  count: 'A whole number from 0 to 999',
  result: 'A number from 0 to 9999, on the assessment’s own scale',
};

/** Mistakes people make, shown on the help page with the parser's own message and fix. */
const COMMON_MISTAKES = [
  'attendence < 90%',
  'attendance < 90',
  'year < 90%',
  'absence >= 120%',
  'year = 14',
  'sex = boy',
  'ethnicity = WBRI',
  'eal = yes',
  'disadvantaged eal',
  '(disadvantaged or eal and sen',
  'year in (9 10)',
  'year == 7',
  'in intervention Mentoring',
];

export interface HelpField {
  name: string;
  label: string;
  valuesHtml: string;
  meaningHtml: string;
  whenMissingHtml: string;
  example: string;
}

export interface HelpPage {
  fields: HelpField[];
  results: { name: string; key: string; label: string }[];
  mistakes: { text: string; message: string; position: number; fix: string }[];
  maxRuleLength: number;
}

export function helpPage(): HelpPage {
  return {
    fields: RULE_FIELDS.map((field) => ({
      name: field.name,
      label: field.label,
      valuesHtml: codeToHtml(KIND_VALUES[field.kind]),
      meaningHtml: codeToHtml(field.meaning),
      whenMissingHtml: codeToHtml(field.whenMissing),
      example: field.example,
    })),
    results: RESULT_ALIASES.map((alias) => ({ ...alias })),
    mistakes: COMMON_MISTAKES.map((text) => {
      const parsed = parseRule(text);
      if (parsed.ok)
        throw new Error(`Help page mistake "${text}" parsed without an error: replace it`);
      return { text, ...parsed.error };
    }),
    maxRuleLength: MAX_RULE_LENGTH,
  };
}

/** Escapes `text` as HTML and sets the parts in backticks as code. */
function codeToHtml(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return escaped.replace(/`([^`]+)`/g, '<code class="app-code">$1</code>');
}
