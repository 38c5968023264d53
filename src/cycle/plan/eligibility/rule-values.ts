/**
 * Reads the value of a condition from its token and checks it against the field's type: a year
 * group from R to 13, a word from a fixed list, a percentage, a whole number or a result.
 * Each mistake gets its own message and fix, because a type error (`year < 90%`) is the most
 * common way a rule goes wrong.
 */
import {
  ethnicityMajorGroup,
  ETHNICITY_MAJOR_GROUP_LABELS,
} from '../../understand/pupil-groups.js';
import {
  ETHNICITY_VALUES,
  HIGHEST_YEAR,
  MAX_COUNT,
  MAX_RESULT,
  RECEPTION_YEAR,
  SEX_VALUES,
  type ValueField,
} from './rule-fields.js';
import { editDistance } from './rule-suggestions.js';
import { kindOfField, type RuleValue } from './rule-tree.js';
import { describeToken, RuleSyntaxError, type Token } from './rule-tokens.js';

const YEAR_FIX = 'Write a year group from R to 13, for example year = 7 or year in (9, 10)';

/**
 * Reads the value `token` gives for `field`. Throws `RuleSyntaxError` when the token is not a
 * value of the field's type or is out of its range.
 */
export function readFieldValue(field: ValueField, token: Token): RuleValue {
  switch (kindOfField(field)) {
    case 'year':
      return readYear(token);
    case 'choice':
      return readChoice(field, token);
    case 'percentage':
      return readPercentage(field, token);
    case 'count':
      return readCount(field, token);
  }
}

/** Reads the number an assessment result is compared with: 0 to 9999, at most 2 decimal places. */
export function readResultValue(token: Token): number {
  if (token.type !== 'number') {
    fail(
      token,
      `An assessment result must be compared with a number, not ${describeToken(token)}`,
      'Write a number, for example ks2_maths < 100',
    );
  }
  if (token.percent) {
    fail(
      token,
      'Assessment results are marks or scaled scores, not percentages',
      `Write ${token.text} without %`,
    );
  }
  if (decimalPlaces(token.text) > 2) {
    fail(token, `${token.text} has more than 2 decimal places`, 'Round it to 2 decimal places');
  }
  if (token.value > MAX_RESULT) {
    fail(
      token,
      `${token.text} is larger than any assessment result`,
      `Write a number from 0 to ${MAX_RESULT}`,
    );
  }
  return token.value;
}

function readYear(token: Token): number {
  if (token.type === 'word') {
    const word = token.text.toUpperCase();
    if (word === 'R') return RECEPTION_YEAR;
    if (word === 'RECEPTION') fail(token, 'Write reception as R', 'Write year = R');
    if (word === 'N1' || word === 'N2' || word === 'X') {
      fail(
        token,
        `Year group “${token.text}” cannot be named in a rule`,
        `${YEAR_FIX}. Nursery pupils sort below R, so year < 1 selects them`,
      );
    }
    fail(token, `Unknown year group ${describeToken(token)}`, YEAR_FIX);
  }
  if (token.type !== 'number') fail(token, `${describeToken(token)} is not a year group`, YEAR_FIX);

  if (token.percent) {
    const withoutPercent =
      Number.isInteger(token.value) && token.value >= 1 && token.value <= HIGHEST_YEAR
        ? `Write ${token.text} without %, or compare attendance or absence with a percentage`
        : `${YEAR_FIX}, or compare attendance or absence with a percentage`;
    fail(token, 'year is a year group, not a percentage', withoutPercent);
  }
  if (!Number.isInteger(token.value) || token.text.includes('.')) {
    fail(token, `Year groups are whole numbers, not ${token.text}`, YEAR_FIX);
  }
  if (token.value === RECEPTION_YEAR) fail(token, 'Write reception as R, not 0', 'Write year = R');
  if (token.value > HIGHEST_YEAR) {
    fail(token, `Year ${token.text} is outside R to ${HIGHEST_YEAR}`, YEAR_FIX);
  }
  return token.value;
}

function readChoice(field: ValueField, token: Token): string {
  const allowed: readonly string[] = field === 'sex' ? SEX_VALUES : ETHNICITY_VALUES;
  const listed = `Use ${formatChoices(allowed)}`;
  if (token.type !== 'word') {
    fail(token, `${field} takes a word, not ${describeToken(token)}`, listed);
  }

  const word = token.text.toLowerCase();
  if (allowed.includes(word)) return word;

  const fix = field === 'sex' ? sexFix(word) : ethnicityFix(token.text);
  fail(token, `Unknown ${field} ${describeToken(token)}`, fix ?? listed);
}

function sexFix(word: string): string | null {
  if (['f', 'girl', 'girls', 'women', 'woman'].includes(word)) return 'Write female';
  if (['m', 'boy', 'boys', 'men', 'man'].includes(word)) return 'Write male';
  return null;
}

/**
 * Suggests the group for a misspelt group name, or the major group of a DfE code such as
 * `WBRI`. A name one letter out is taken as a slip before a four-letter word is read as a code,
 * so that `blak` suggests black rather than the group of a code B.
 */
function ethnicityFix(text: string): string | null {
  const word = text.toLowerCase();
  if (word === 'chinese') return 'Chinese pupils are in the asian group: write asian';
  const nearest = (distance: number) =>
    ETHNICITY_VALUES.find((group) => editDistance(word, group) <= distance);

  const slip = nearest(1);
  if (slip !== undefined) return `Did you mean ${slip}?`;
  if (/^[a-z]{4}$/.test(word)) {
    const group = ethnicityMajorGroup(text);
    if (group !== 'unclassified' || ['refu', 'nobt'].includes(word)) {
      return `Rules use major groups: ${text.toUpperCase()} is in ${group} (${ETHNICITY_MAJOR_GROUP_LABELS[group]}), so write ${group}`;
    }
  }
  const near = nearest(2);
  return near === undefined ? null : `Did you mean ${near}?`;
}

function readPercentage(field: ValueField, token: Token): number {
  const example = `for example ${field} < 90%`;
  if (token.type !== 'number') {
    fail(
      token,
      `${field} takes a percentage, not ${describeToken(token)}`,
      `Write a percentage, ${example}`,
    );
  }
  if (!token.percent) {
    // A fraction such as 0.9 is most likely a proportion meant as 90%.
    if (token.value > 0 && token.value < 1) {
      const asPercent = Number((token.value * 100).toFixed(2));
      fail(
        token,
        `Missing % after ${token.text}`,
        `Write ${asPercent}%: ${field} is a percentage of the pupil’s possible sessions, so 0.9 is written 90%`,
      );
    }
    if (token.value <= 100) {
      fail(
        token,
        `Missing % after ${token.text}`,
        `Write ${token.text}%: ${field} is a percentage of the pupil’s possible sessions`,
      );
    }
    fail(token, `${field} is a percentage from 0% to 100%`, `Write a percentage, ${example}`);
  }
  if (token.value > 100) {
    fail(
      token,
      `${token.text}% is more than 100%`,
      `Write a percentage from 0% to 100%, ${example}`,
    );
  }
  if (decimalPlaces(token.text) > 2) {
    fail(
      token,
      `${token.text}% has more than 2 decimal places`,
      'Round it to 2 decimal places, for example 92.5%',
    );
  }
  return token.value;
}

function readCount(field: ValueField, token: Token): number {
  const example = `for example ${field} >= 2`;
  if (token.type !== 'number') {
    fail(
      token,
      `${field} takes a whole number, not ${describeToken(token)}`,
      `Write a whole number, ${example}`,
    );
  }
  if (token.percent) {
    fail(
      token,
      `${field} is a number of ${field}, not a percentage`,
      `Write ${token.text} without %`,
    );
  }
  if (token.text.includes('.')) {
    fail(
      token,
      `${field} is counted in whole numbers, not ${token.text}`,
      `Write a whole number, ${example}`,
    );
  }
  if (token.value > MAX_COUNT) {
    fail(
      token,
      `${token.text} is more ${field} than any pupil has`,
      `Write a whole number from 0 to ${MAX_COUNT}`,
    );
  }
  return token.value;
}

function decimalPlaces(text: string): number {
  const point = text.indexOf('.');
  return point === -1 ? 0 : text.length - point - 1;
}

function formatChoices(values: readonly string[]): string {
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
}

function fail(token: Token, message: string, fix: string): never {
  throw new RuleSyntaxError({ message, position: token.position, length: token.length, fix });
}
