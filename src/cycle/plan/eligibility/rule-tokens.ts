/**
 * Splits the text of an eligibility rule into tokens: words, numbers (with an optional `%`),
 * quoted strings, comparison operators, brackets and commas. Whitespace, line breaks included,
 * only separates tokens.
 */
import type { ComparisonOperator } from './rule-tree.js';

/**
 * A problem in a rule's text. `position` is the 1-based column of the first character at fault
 * in the whole text (line breaks count as one character), and `length` is how many characters
 * are at fault, 0 when something is missing at that point.
 */
export interface RuleError {
  message: string;
  position: number;
  length: number;
  /** The change that corrects the problem, in words the user can act on. */
  fix: string;
}

interface Span {
  /** 1-based column of the token's first character. */
  position: number;
  length: number;
}

export type Token = Span &
  (
    | { type: 'word'; text: string }
    | { type: 'number'; text: string; value: number; percent: boolean }
    | { type: 'string'; value: string }
    | { type: 'operator'; operator: ComparisonOperator }
    | { type: 'open' | 'close' | 'comma' | 'end' }
    | { type: 'invalid'; error: RuleError }
  );

// Hyphens are read into a word so that `sen-support` is reported as a misspelt field name.
const WORD = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /(\d+(?:\.\d+)?)(\s*%)?/y;
const OPERATORS: readonly ComparisonOperator[] = ['>=', '<=', '!=', '=', '<', '>'];
const OPENING_QUOTES = new Set(['"', '\u201C', '\u201D']);
const CLOSING_QUOTES = OPENING_QUOTES;

/**
 * Characters people type from other languages or habits, with what to write instead. Longer
 * entries come first, so that `==` is reported as a whole rather than as two `=`.
 */
const MISTAKES: ReadonlyArray<{ text: string; fix: string }> = [
  { text: '==', fix: 'Write = to test whether two things are equal' },
  { text: '=>', fix: 'Write >= for “at least”' },
  { text: '=<', fix: 'Write <= for “at most”' },
  { text: '<>', fix: 'Write != for “is not”' },
  { text: '&&', fix: 'Write and to join conditions' },
  { text: '||', fix: 'Write or to join conditions' },
  { text: '\u2265', fix: 'Write >= for “at least”' },
  { text: '\u2264', fix: 'Write <= for “at most”' },
  { text: '\u2260', fix: 'Write != for “is not”' },
  { text: '&', fix: 'Write and to join conditions' },
  { text: '|', fix: 'Write or to join conditions' },
  { text: '!', fix: 'Write not before a condition, or != for “is not”' },
  { text: "'", fix: 'Use double quotes, for example in intervention "Reading catch-up"' },
  { text: '\u2018', fix: 'Use double quotes, for example in intervention "Reading catch-up"' },
  { text: '\u2019', fix: 'Use double quotes, for example in intervention "Reading catch-up"' },
  { text: '-', fix: 'Remove the minus sign: values in a rule are 0 or more' },
  {
    text: '/',
    fix: 'Write / only inside an assessment key in double quotes, for example result "KS2/MAT/MAT/TT/SS" < 100',
  },
  { text: '%', fix: 'Write % straight after a number, for example attendance < 90%' },
  { text: '.', fix: 'Write a decimal with a digit before the point, for example 0.5' },
  { text: '[', fix: 'Use round brackets ( ) to group conditions or list values' },
  { text: ']', fix: 'Use round brackets ( ) to group conditions or list values' },
  { text: '{', fix: 'Use round brackets ( ) to group conditions or list values' },
  { text: '}', fix: 'Use round brackets ( ) to group conditions or list values' },
];

/**
 * Splits `text` into tokens, ending with an `end` token. Where a character starts no token, or
 * a string has no closing quote, the tokens stop with an `invalid` token that carries the
 * error. The parser reports it only when it gets there, so that an earlier mistake is still
 * reported first.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;

  while (index < text.length) {
    const character = text.charAt(index);
    const position = index + 1;

    if (/\s/.test(character)) {
      index++;
      continue;
    }

    const single = singleCharacterToken(character, position);
    if (single !== null) {
      tokens.push(single);
      index++;
      continue;
    }

    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
    const mistake = MISTAKES.find((candidate) => text.startsWith(candidate.text, index));
    // A mistake that starts like an operator (`==`, `=>`, `<>`) is longer than the operator,
    // so it is checked first.
    if (
      mistake !== undefined &&
      (operator === undefined || mistake.text.length > operator.length)
    ) {
      return invalid(tokens, {
        message: `Unexpected “${mistake.text}”`,
        position,
        length: mistake.text.length,
        fix: mistake.fix,
      });
    }
    if (operator !== undefined) {
      tokens.push({ type: 'operator', operator, position, length: operator.length });
      index += operator.length;
      continue;
    }

    if (OPENING_QUOTES.has(character)) {
      const string = readString(text, index);
      if (!string.ok) return invalid(tokens, string.error);
      tokens.push(string.token);
      index += string.token.length;
      continue;
    }

    const number = matchAt(NUMBER, text, index);
    if (number !== null) {
      const digits = number[1] ?? '';
      tokens.push({
        type: 'number',
        text: digits,
        value: Number(digits),
        percent: number[2] !== undefined,
        position,
        length: number[0].length,
      });
      index += number[0].length;
      continue;
    }

    const word = matchAt(WORD, text, index);
    if (word !== null) {
      tokens.push({ type: 'word', text: word[0], position, length: word[0].length });
      index += word[0].length;
      continue;
    }

    return invalid(tokens, {
      message: `Unexpected character “${character}”`,
      position,
      length: 1,
      fix: 'Remove it. A rule uses names, numbers, double quotes, brackets, commas and the comparisons < <= > >= = !=',
    });
  }

  tokens.push({ type: 'end', position: text.length + 1, length: 0 });
  return tokens;
}

function invalid(tokens: Token[], error: RuleError): Token[] {
  tokens.push({ type: 'invalid', error, position: error.position, length: error.length });
  return tokens;
}

function singleCharacterToken(character: string, position: number): Token | null {
  if (character === '(') return { type: 'open', position, length: 1 };
  if (character === ')') return { type: 'close', position, length: 1 };
  if (character === ',') return { type: 'comma', position, length: 1 };
  return null;
}

/**
 * Reads a string that starts with a double quote at `start`. Inside it, `\"` is a quote and
 * `\\` a backslash. Curly quotes open and close a string like straight ones, because word
 * processors turn one into the other.
 */
function readString(
  text: string,
  start: number,
): { ok: true; token: Token } | { ok: false; error: RuleError } {
  let value = '';
  let index = start + 1;
  while (index < text.length) {
    const character = text.charAt(index);
    const next = text.charAt(index + 1);
    if (character === '\\' && (next === '\\' || CLOSING_QUOTES.has(next))) {
      value += next;
      index += 2;
      continue;
    }
    if (CLOSING_QUOTES.has(character)) {
      const length = index - start + 1;
      return { ok: true, token: { type: 'string', value, position: start + 1, length } };
    }
    value += character;
    index++;
  }
  return {
    ok: false,
    error: {
      message: 'Missing closing quote',
      position: start + 1,
      length: text.length - start,
      fix: 'Add " at the end of the name',
    },
  };
}

function matchAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

/** Thrown inside the parser to stop at the first problem; `parseRule` turns it into a result. */
export class RuleSyntaxError extends Error {
  constructor(readonly ruleError: RuleError) {
    super(`${ruleError.message} at column ${ruleError.position}. ${ruleError.fix}`);
    this.name = 'RuleSyntaxError';
  }
}

/** Describes a token as an error message quotes it: `“attendance”`, `“90%”`, the end of the rule. */
export function describeToken(token: Token): string {
  switch (token.type) {
    case 'word':
      return `“${token.text}”`;
    case 'number':
      return `“${token.text}${token.percent ? '%' : ''}”`;
    case 'string':
      return `“"${token.value}"”`;
    case 'operator':
      return `“${token.operator}”`;
    case 'open':
      return '“(”';
    case 'close':
      return '“)”';
    case 'comma':
      return '“,”';
    case 'end':
      return 'the end of the rule';
    case 'invalid':
      return `“${token.error.message}”`;
  }
}
