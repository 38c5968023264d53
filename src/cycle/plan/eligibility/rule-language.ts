/**
 * The eligibility rule language: text such as `disadvantaged and year in (9, 10) and
 * attendance < 90%` that describes the pupils a need or a commissioning plan is for.
 *
 * Grammar, with keywords and names matched ignoring case, and `not` binding more tightly than
 * `and`, which binds more tightly than `or`:
 *
 *   rule       = or
 *   or         = and { "or" and }
 *   and        = not { "and" not }
 *   not        = "not" not | primary
 *   primary    = "(" or ")" | condition
 *   condition  = flag
 *              | field operator value
 *              | field ["not"] "in" "(" value { "," value } ")"
 *              | result-alias operator number
 *              | "result" string operator number
 *              | "in" "intervention" string
 *   operator   = "=" | "!=" | "<" | "<=" | ">" | ">="
 *
 * `field not in (…)` is read as `not field in (…)`. Fields and their values are listed in
 * `rule-fields.ts`.
 */
import {
  findResultAlias,
  findRuleField,
  isFlagField,
  type FlagField,
  type RuleField,
  type ValueField,
} from './rule-fields.js';
import { formatRule } from './rule-format.js';
import { suggestName } from './rule-suggestions.js';
import {
  ASSESSMENT_KEY_PATTERN,
  kindOfField,
  MAX_INTERVENTION_NAME_LENGTH,
  MAX_RULE_DEPTH,
  OPERATORS_BY_KIND,
  type RuleNode,
} from './rule-tree.js';
import {
  describeToken,
  RuleSyntaxError,
  tokenize,
  type RuleError,
  type Token,
} from './rule-tokens.js';
import { readFieldValue, readResultValue } from './rule-values.js';

export { formatRule } from './rule-format.js';
export { InvalidRuleTreeError, ruleTreeFromJson, type RuleNode } from './rule-tree.js';
export type { RuleError } from './rule-tokens.js';

export type RuleParseResult =
  { ok: true; tree: RuleNode; canonical: string } | { ok: false; error: RuleError };

/** Maximum length of a rule, in characters. A real rule is a line or two. */
export const MAX_RULE_LENGTH = 2000;

const EXAMPLE_RULE = 'disadvantaged and year in (9, 10)';

/**
 * Parses the text of a rule into its tree and its canonical text (see `formatRule`). Stops at
 * the first problem and returns it with its 1-based column, its length and a fix.
 */
export function parseRule(text: string): RuleParseResult {
  if (text.length > MAX_RULE_LENGTH) {
    return failure({
      message: `Rule is ${text.length.toLocaleString('en-GB')} characters long`,
      position: MAX_RULE_LENGTH + 1,
      length: text.length - MAX_RULE_LENGTH,
      fix: `Shorten it to ${MAX_RULE_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    });
  }
  if (text.trim() === '') {
    return failure({
      message: 'Enter a rule',
      position: 1,
      length: 0,
      fix: `Write a condition such as disadvantaged, or join several, for example ${EXAMPLE_RULE}`,
    });
  }

  let tree: RuleNode;
  try {
    tree = new RuleParser(tokenize(text)).parseWhole();
  } catch (error) {
    if (error instanceof RuleSyntaxError) return failure(error.ruleError);
    throw error;
  }

  if (treeDepth(tree) > MAX_RULE_DEPTH) {
    return failure({
      message: `Rule has more than ${MAX_RULE_DEPTH} levels of brackets and nots`,
      position: 1,
      length: text.length,
      fix: 'Simplify the rule: remove brackets that group a single condition, and pairs of not',
    });
  }
  return { ok: true, tree, canonical: formatRule(tree) };
}

/** A recursive-descent parser over the tokens of one rule. Throws `RuleSyntaxError`. */
class RuleParser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseWhole(): RuleNode {
    const tree = this.parseOr();
    const next = this.peek();
    if (next.type === 'close') {
      this.fail(
        next,
        'Unexpected “)”: no bracket is open here',
        'Remove it, or add ( where the group starts',
      );
    }
    if (next.type !== 'end') {
      this.fail(
        next,
        `Unexpected ${describeToken(next)} after a complete condition`,
        'Join conditions with and or or, for example disadvantaged and eal',
      );
    }
    return tree;
  }

  private parseOr(): RuleNode {
    const operands = [this.parseAnd()];
    while (this.peekWord('or')) {
      this.requireConditionAfter(this.take());
      operands.push(this.parseAnd());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): RuleNode {
    const operands = [this.parseNot()];
    while (this.peekWord('and')) {
      this.requireConditionAfter(this.take());
      operands.push(this.parseNot());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands };
  }

  private parseNot(): RuleNode {
    if (!this.peekWord('not')) return this.parsePrimary();
    this.requireConditionAfter(this.take());
    return { kind: 'not', operand: this.parseNot() };
  }

  private parsePrimary(): RuleNode {
    const token = this.peek();
    switch (token.type) {
      case 'open':
        return this.parseBrackets();
      case 'word':
        return this.parseCondition(token);
      case 'close':
        return this.fail(token, 'Unexpected “)”', 'Remove it, or add ( where the group starts');
      case 'end':
        return this.fail(
          token,
          'Missing a condition',
          `Write a condition, for example ${EXAMPLE_RULE}`,
        );
      case 'string':
        return this.fail(
          token,
          `Unexpected ${describeToken(token)}`,
          'Write in intervention "…" to test another intervention, or result "…" < 100 to test an assessment result',
        );
      default:
        return this.fail(
          token,
          `Unexpected ${describeToken(token)}: a condition starts with a field name`,
          'Start the condition with a field, for example attendance < 90%',
        );
    }
  }

  private parseBrackets(): RuleNode {
    const open = this.take();
    if (this.peek().type === 'close') {
      this.fail(open, 'Empty brackets', 'Put a condition inside the brackets, or remove them');
    }
    const inner = this.parseOr();
    const next = this.peek();
    if (next.type === 'close') {
      this.take();
      return inner;
    }
    if (next.type === 'end') {
      this.fail(
        open,
        'Missing closing bracket',
        `Add ) to close the bracket opened at character ${open.position}`,
      );
    }
    return this.fail(
      next,
      `Unexpected ${describeToken(next)}`,
      'Join conditions with and or or, or close the bracket with )',
    );
  }

  private parseCondition(token: Token & { type: 'word' }): RuleNode {
    const name = token.text.toLowerCase();
    if (name === 'in') return this.parseIntervention();
    if (name === 'result') return this.parseResult();
    if (name === 'and' || name === 'or') {
      this.fail(
        token,
        `Missing a condition before “${token.text}”`,
        `Put a condition before ${name}, or remove ${name}`,
      );
    }
    if (name === 'intervention') {
      this.fail(token, 'Write in before intervention', 'Write in intervention "Reading catch-up"');
    }

    if (isFlagField(name)) return this.parseFlag(name);
    const field = findRuleField(name);
    if (field !== undefined) {
      this.take();
      return this.parseComparison(field);
    }
    const alias = findResultAlias(name);
    if (alias !== undefined) {
      this.take();
      return this.parseResultComparison(alias.key, alias.name);
    }

    const suggestion = suggestName(name);
    return this.fail(
      token,
      `Unknown field ${describeToken(token)}`,
      suggestion === null
        ? 'Check the spelling against the fields listed in the help on writing rules'
        : `Did you mean ${suggestion}?`,
    );
  }

  private parseFlag(field: FlagField): RuleNode {
    this.take();
    const next = this.peek();
    if (next.type === 'operator' || isWord(next, 'in')) {
      this.fail(
        next,
        `${field} is a yes-or-no condition, so it takes no comparison`,
        `Write ${field} on its own, or not ${field}`,
      );
    }
    return { kind: 'flag', field };
  }

  private parseComparison(field: RuleField): RuleNode {
    const name = field.name as ValueField;
    const next = this.peek();
    if (isWord(next, 'not') && isWord(this.peek(1), 'in')) {
      this.take();
      return { kind: 'not', operand: this.parseList(name, this.take()) };
    }
    if (isWord(next, 'in')) return this.parseList(name, this.take());
    if (next.type !== 'operator') {
      this.fail(
        next,
        `Missing a comparison after “${field.name}”`,
        `Add a comparison and a value, for example ${field.example}`,
        next.type === 'end' ? 0 : next.length,
      );
    }

    const operator = this.take() as Token & { type: 'operator' };
    const allowed = OPERATORS_BY_KIND[kindOfField(name)];
    if (!allowed.includes(operator.operator)) {
      this.fail(
        operator,
        `${field.name} cannot be compared with ${operator.operator}`,
        `Use = or !=, or list values with in, for example ${field.example}`,
      );
    }
    const value = readFieldValue(name, this.takeValue(operator, field.example));
    return { kind: 'compare', field: name, operator: operator.operator, value };
  }

  private parseList(field: ValueField, inToken: Token): RuleNode {
    const example = listExample(field);
    if (!OPERATORS_BY_KIND[kindOfField(field)].includes('in')) {
      this.fail(
        inToken,
        `${field} cannot be used with in`,
        `Compare it with <, <=, > or >=, for example ${field} < 90%`,
      );
    }
    const open = this.peek();
    if (open.type !== 'open') {
      this.fail(
        open,
        'Missing ( after in',
        `List the values in brackets, for example ${example}`,
        open.type === 'end' ? 0 : open.length,
      );
    }
    this.take();
    if (this.peek().type === 'close') {
      this.fail(
        open,
        'Empty list',
        `Put at least one value between the brackets, for example ${example}`,
        2,
      );
    }

    const values = [];
    for (;;) {
      values.push(readFieldValue(field, this.takeValue(open, example)));
      const next = this.peek();
      if (next.type === 'close') {
        this.take();
        return { kind: 'in', field, values };
      }
      if (next.type === 'end') {
        this.fail(open, 'Missing closing bracket', 'Add ) after the last value');
      }
      if (next.type !== 'comma') {
        this.fail(
          next,
          `Missing comma before ${describeToken(next)}`,
          `Separate the values with commas, for example ${example}`,
        );
      }
      this.take();
    }
  }

  private parseResult(): RuleNode {
    this.take();
    const key = this.peek();
    if (key.type !== 'string') {
      const typed = key.type === 'word' ? `result "${key.text}…"` : 'result "KS2/MAT/MAT/TT/SS"';
      this.fail(
        key,
        `Missing an assessment key in double quotes after “result”`,
        `Write the key in double quotes, for example ${typed} < 100`,
        key.type === 'end' ? 0 : key.length,
      );
    }
    this.take();
    const upperKey = key.value.trim().toUpperCase();
    if (!ASSESSMENT_KEY_PATTERN.test(upperKey)) {
      this.fail(
        key,
        `Assessment key “${key.value}” is not five parts joined by /`,
        'Write stage, subject, component, method and qualifier joined by /, for example "KS2/MAT/MAT/TT/SS"; leave a part empty if the result has none',
      );
    }
    return this.parseResultComparison(upperKey, `result "${key.value}"`);
  }

  private parseResultComparison(key: string, subject: string): RuleNode {
    const next = this.peek();
    const example = `${subject} < 100`;
    if (isWord(next, 'in') || isWord(next, 'not')) {
      this.fail(
        next,
        'Assessment results cannot be used with in',
        `Compare with <, <=, >, >=, = or !=, for example ${example}`,
      );
    }
    if (next.type !== 'operator') {
      this.fail(
        next,
        `Missing a comparison after ${subject}`,
        `Add a comparison and a number, for example ${example}`,
        next.type === 'end' ? 0 : next.length,
      );
    }
    const operator = this.take() as Token & { type: 'operator' };
    const value = readResultValue(this.takeValue(operator, example));
    return { kind: 'result', key, operator: operator.operator, value };
  }

  private parseIntervention(): RuleNode {
    const inToken = this.take();
    const next = this.peek();
    if (!isWord(next, 'intervention')) {
      this.fail(
        inToken,
        'Missing “intervention” after “in”',
        'Write in intervention "Reading catch-up", or put in after a field, for example year in (9, 10)',
      );
    }
    this.take();

    const name = this.peek();
    if (name.type !== 'string') {
      const typed = name.type === 'word' ? name.text : 'Reading catch-up';
      this.fail(
        name,
        'Missing the intervention’s name in double quotes',
        `Write the name in double quotes, for example in intervention "${typed}"`,
        name.type === 'end' ? 0 : name.length,
      );
    }
    this.take();
    if (name.value.trim() === '') {
      this.fail(name, 'The intervention’s name is empty', 'Write the name between the quotes');
    }
    if (name.value.length > MAX_INTERVENTION_NAME_LENGTH) {
      this.fail(
        name,
        `The intervention’s name is ${name.value.length} characters long`,
        `Shorten it to ${MAX_INTERVENTION_NAME_LENGTH} characters or fewer`,
      );
    }
    return { kind: 'intervention', name: name.value };
  }

  /** Takes the token after `after` as a value, or fails when the value is missing. */
  private takeValue(after: Token, example: string): Token {
    const next = this.peek();
    const missing =
      next.type === 'end' ||
      next.type === 'close' ||
      next.type === 'comma' ||
      isWord(next, 'and') ||
      isWord(next, 'or');
    if (missing) {
      this.fail(
        next,
        `Missing a value after ${describeToken(after)}`,
        `Add a value, for example ${example}`,
        0,
      );
    }
    return this.take();
  }

  /** Fails unless a condition can start after `keyword` (`and`, `or` or `not`). */
  private requireConditionAfter(keyword: Token): void {
    const next = this.peek();
    const cannotStart =
      next.type === 'end' ||
      next.type === 'close' ||
      next.type === 'comma' ||
      isWord(next, 'and') ||
      isWord(next, 'or');
    if (cannotStart) {
      const word = keyword.type === 'word' ? keyword.text.toLowerCase() : '';
      this.fail(
        next,
        `Missing a condition after ${describeToken(keyword)}`,
        `Add a condition after ${word}, such as eal, or remove ${word}`,
        0,
      );
    }
  }

  /** Returns the next token, or throws the tokenizer's error when the parser reaches it. */
  private peek(ahead = 0): Token {
    const token = this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
    if (token === undefined) throw new Error('A rule always has an end token');
    if (token.type === 'invalid') throw new RuleSyntaxError(token.error);
    return token;
  }

  private peekWord(word: string): boolean {
    return isWord(this.peek(), word);
  }

  private take(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  private fail(token: Token, message: string, fix: string, length = token.length): never {
    throw new RuleSyntaxError({ message, position: token.position, length, fix });
  }
}

function isWord(token: Token, word: string): boolean {
  return token.type === 'word' && token.text.toLowerCase() === word;
}

function listExample(field: ValueField): string {
  const examples: Record<string, string> = {
    year: 'year in (9, 10)',
    sex: 'sex in (female, male)',
    ethnicity: 'ethnicity in (black, mixed)',
  };
  return examples[field] ?? `${field} in (1, 2)`;
}

/** Counts the levels of `and`, `or` and `not` from the root down to the deepest condition. */
function treeDepth(node: RuleNode): number {
  if (node.kind === 'and' || node.kind === 'or') {
    return 1 + Math.max(...node.operands.map(treeDepth));
  }
  if (node.kind === 'not') return 1 + treeDepth(node.operand);
  return 1;
}

function failure(error: RuleError): { ok: false; error: RuleError } {
  return { ok: false, error };
}
