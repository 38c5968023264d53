/**
 * Writes a rule tree back as text in canonical form: keywords and names in lower case, one space
 * between tokens, and straight double quotes. Brackets appear only where precedence needs them,
 * or where the tree groups an `and` inside an `and` (or an `or` inside an `or`). Parsing the
 * result gives the same tree.
 */
import { RECEPTION_YEAR, resultAliasForKey, type ValueField } from './rule-fields.js';
import type { RuleNode, RuleValue } from './rule-tree.js';

/** Writes `tree` as canonical rule text, for example `disadvantaged and year in (9, 10)`. */
export function formatRule(tree: RuleNode): string {
  switch (tree.kind) {
    case 'and':
      return tree.operands
        .map((operand) => (isJunction(operand) ? `(${formatRule(operand)})` : formatRule(operand)))
        .join(' and ');
    case 'or':
      // An `and` inside an `or` needs no brackets, because `and` binds more tightly.
      return tree.operands
        .map((operand) =>
          operand.kind === 'or' ? `(${formatRule(operand)})` : formatRule(operand),
        )
        .join(' or ');
    case 'not':
      return isJunction(tree.operand)
        ? `not (${formatRule(tree.operand)})`
        : `not ${formatRule(tree.operand)}`;
    case 'flag':
      return tree.field;
    case 'compare':
      return `${tree.field} ${tree.operator} ${formatValue(tree.field, tree.value)}`;
    case 'in':
      return `${tree.field} in (${tree.values.map((value) => formatValue(tree.field, value)).join(', ')})`;
    case 'result': {
      const alias = resultAliasForKey(tree.key);
      const subject = alias ? alias.name : `result ${quote(tree.key)}`;
      return `${subject} ${tree.operator} ${formatNumber(tree.value)}`;
    }
    case 'intervention':
      return `in intervention ${quote(tree.name)}`;
  }
}

function isJunction(node: RuleNode): boolean {
  return node.kind === 'and' || node.kind === 'or';
}

/** Writes one value as a rule writes it for its field: `R` for reception, `90%` for a percentage. */
function formatValue(field: ValueField, value: RuleValue): string {
  if (typeof value === 'string') return value;
  if (field === 'year') {
    return value === RECEPTION_YEAR ? 'R' : formatNumber(value);
  }
  if (field === 'attendance' || field === 'absence') return `${formatNumber(value)}%`;
  return formatNumber(value);
}

function formatNumber(value: number): string {
  return String(value);
}

/** Puts a name in double quotes, escaping the backslashes and quotes inside it. */
export function quote(text: string): string {
  return `"${text.replace(/[\\"\u201C\u201D]/g, (character) => `\\${character}`)}"`;
}
