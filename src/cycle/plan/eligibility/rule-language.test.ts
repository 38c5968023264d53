import { describe, expect, it } from 'vitest';
import { FLAG_FIELDS, RESULT_ALIASES } from './rule-fields.js';
import {
  formatRule,
  InvalidRuleTreeError,
  MAX_RULE_LENGTH,
  parseRule,
  ruleTreeFromJson,
  type RuleNode,
} from './rule-language.js';

function treeOf(text: string): RuleNode {
  const result = parseRule(text);
  if (!result.ok) {
    throw new Error(`${text} did not parse: ${result.error.message} at ${result.error.position}`);
  }
  return result.tree;
}

const flag = (field: string): RuleNode => ({ kind: 'flag', field }) as RuleNode;

describe('parseRule precedence', () => {
  it.each<[string, RuleNode]>([
    [
      'eal or sen and fsm',
      {
        kind: 'or',
        operands: [flag('eal'), { kind: 'and', operands: [flag('sen'), flag('fsm')] }],
      },
    ],
    [
      'eal and sen or fsm',
      {
        kind: 'or',
        operands: [{ kind: 'and', operands: [flag('eal'), flag('sen')] }, flag('fsm')],
      },
    ],
    [
      'not eal and sen',
      { kind: 'and', operands: [{ kind: 'not', operand: flag('eal') }, flag('sen')] },
    ],
    [
      'not eal or sen',
      { kind: 'or', operands: [{ kind: 'not', operand: flag('eal') }, flag('sen')] },
    ],
    [
      '(eal or sen) and fsm',
      {
        kind: 'and',
        operands: [{ kind: 'or', operands: [flag('eal'), flag('sen')] }, flag('fsm')],
      },
    ],
    [
      'not (eal or sen)',
      { kind: 'not', operand: { kind: 'or', operands: [flag('eal'), flag('sen')] } },
    ],
    ['not not eal', { kind: 'not', operand: { kind: 'not', operand: flag('eal') } }],
    ['eal and sen and fsm', { kind: 'and', operands: [flag('eal'), flag('sen'), flag('fsm')] }],
    ['eal or sen or fsm', { kind: 'or', operands: [flag('eal'), flag('sen'), flag('fsm')] }],
    [
      '(eal and sen) and fsm',
      {
        kind: 'and',
        operands: [{ kind: 'and', operands: [flag('eal'), flag('sen')] }, flag('fsm')],
      },
    ],
    ['((eal))', flag('eal')],
  ])('%s', (text, expected) => {
    expect(treeOf(text)).toEqual(expected);
  });
});

describe('parseRule conditions', () => {
  it.each(FLAG_FIELDS)('flag %s', (field) => {
    expect(treeOf(field)).toEqual({ kind: 'flag', field });
  });

  it.each<[string, RuleNode]>([
    ['year = 7', { kind: 'compare', field: 'year', operator: '=', value: 7 }],
    ['year >= 9', { kind: 'compare', field: 'year', operator: '>=', value: 9 }],
    ['year != 11', { kind: 'compare', field: 'year', operator: '!=', value: 11 }],
    ['year = R', { kind: 'compare', field: 'year', operator: '=', value: 0 }],
    ['year <= r', { kind: 'compare', field: 'year', operator: '<=', value: 0 }],
    ['year in (9, 10)', { kind: 'in', field: 'year', values: [9, 10] }],
    ['year in (R,1,2)', { kind: 'in', field: 'year', values: [0, 1, 2] }],
    ['year not in (7, 8)', { kind: 'not', operand: { kind: 'in', field: 'year', values: [7, 8] } }],
    ['sex = female', { kind: 'compare', field: 'sex', operator: '=', value: 'female' }],
    ['sex != MALE', { kind: 'compare', field: 'sex', operator: '!=', value: 'male' }],
    ['sex in (female, male)', { kind: 'in', field: 'sex', values: ['female', 'male'] }],
    ['ethnicity = asian', { kind: 'compare', field: 'ethnicity', operator: '=', value: 'asian' }],
    ['ethnicity in (Black, mixed)', { kind: 'in', field: 'ethnicity', values: ['black', 'mixed'] }],
    [
      'ethnicity = unclassified',
      { kind: 'compare', field: 'ethnicity', operator: '=', value: 'unclassified' },
    ],
    ['attendance < 90%', { kind: 'compare', field: 'attendance', operator: '<', value: 90 }],
    ['attendance >= 92.5 %', { kind: 'compare', field: 'attendance', operator: '>=', value: 92.5 }],
    ['absence >= 10%', { kind: 'compare', field: 'absence', operator: '>=', value: 10 }],
    ['absence > 0%', { kind: 'compare', field: 'absence', operator: '>', value: 0 }],
    ['attendance = 100%', { kind: 'compare', field: 'attendance', operator: '=', value: 100 }],
    ['suspensions >= 2', { kind: 'compare', field: 'suspensions', operator: '>=', value: 2 }],
    ['suspensions in (1, 2)', { kind: 'in', field: 'suspensions', values: [1, 2] }],
    ['interventions >= 1', { kind: 'compare', field: 'interventions', operator: '>=', value: 1 }],
    ['interventions = 0', { kind: 'compare', field: 'interventions', operator: '=', value: 0 }],
    [
      'result "KS2/MAT/MAT/TT/SS" < 100',
      { kind: 'result', key: 'KS2/MAT/MAT/TT/SS', operator: '<', value: 100 },
    ],
    [
      'result "ks4/mat/mat/tt/gr" >= 4',
      { kind: 'result', key: 'KS4/MAT/MAT/TT/GR', operator: '>=', value: 4 },
    ],
    ['result "EYF/ENG///" = 2', { kind: 'result', key: 'EYF/ENG///', operator: '=', value: 2 }],
    ['ks2_maths < 100', { kind: 'result', key: 'KS2/MAT/MAT/TT/SS', operator: '<', value: 100 }],
    ['phonics < 32', { kind: 'result', key: 'PHON/ENG/PHON/TT/MK', operator: '<', value: 32 }],
    [
      'ks2_reading > 104.5',
      { kind: 'result', key: 'KS2/ENG/RD/TT/SS', operator: '>', value: 104.5 },
    ],
    ['in intervention "Reading catch-up"', { kind: 'intervention', name: 'Reading catch-up' }],
    ['IN Intervention “Reading catch-up”', { kind: 'intervention', name: 'Reading catch-up' }],
    [
      'in intervention "Say \\"hello\\" \\\\ club"',
      { kind: 'intervention', name: 'Say "hello" \\ club' },
    ],
  ])('%s', (text, expected) => {
    expect(treeOf(text)).toEqual(expected);
  });

  it.each(RESULT_ALIASES.map((alias) => [alias.name, alias.key]))('alias %s', (name, key) => {
    expect(treeOf(`${name} >= 1`)).toEqual({ kind: 'result', key, operator: '>=', value: 1 });
  });

  it('ignores case of keywords and names', () => {
    expect(treeOf('DISADVANTAGED AND Not EAL OR Year In (9)')).toEqual(
      treeOf('disadvantaged and not eal or year in (9)'),
    );
  });

  it('treats line breaks as spaces', () => {
    expect(treeOf('disadvantaged\nand\r\n\tyear = 7')).toEqual(
      treeOf('disadvantaged and year = 7'),
    );
  });
});

describe('formatRule', () => {
  it.each([
    ['Disadvantaged  AND year IN (9,10)', 'disadvantaged and year in (9, 10)'],
    ['(eal or sen) and fsm', '(eal or sen) and fsm'],
    ['eal or (sen and fsm)', 'eal or sen and fsm'],
    ['(eal and sen) and fsm', '(eal and sen) and fsm'],
    ['eal or (sen or fsm)', 'eal or (sen or fsm)'],
    ['not (eal and sen)', 'not (eal and sen)'],
    ['not (eal)', 'not eal'],
    ['year not in (7, 8)', 'not year in (7, 8)'],
    ['year >= r', 'year >= R'],
    ['attendance < 92.50 %', 'attendance < 92.5%'],
    ['result "ks2/mat/mat/tt/ss" < 100', 'ks2_maths < 100'],
    ['result "KS4/MAT/MAT/TT/GR" >= 4', 'result "KS4/MAT/MAT/TT/GR" >= 4'],
    ['in intervention “Mentoring”', 'in intervention "Mentoring"'],
    ['sex = FEMALE', 'sex = female'],
  ])('%s gives %s', (text, canonical) => {
    const result = parseRule(text);

    expect(result.ok).toBe(true);
    expect(result.ok ? result.canonical : null).toBe(canonical);
  });

  it.each([
    'disadvantaged and year in (9, 10) and attendance < 90%',
    'not (eal or sen) and (fsm or looked_after) or year = R',
    'not not (ethnicity in (black, mixed) and sex != male)',
    '(ks2_maths < 100 or ks2_reading < 100) and interventions = 0',
    'result "KS4/ENG/ENG/TT/GR" <= 3.5 and not in intervention "Year 11 \\"boost\\""',
    '((eal and sen) and fsm) or ((absence >= 10% or suspensions >= 2) or permanently_excluded)',
  ])('round-trips %s', (text) => {
    const tree = treeOf(text);

    const canonical = formatRule(tree);

    expect(treeOf(canonical)).toEqual(tree);
    expect(formatRule(treeOf(canonical))).toBe(canonical);
  });

  it.each<[string, RuleNode]>([
    [
      'nested and',
      {
        kind: 'and',
        operands: [{ kind: 'and', operands: [flag('eal'), flag('sen')] }, flag('fsm')],
      },
    ],
    [
      'nested or inside not',
      {
        kind: 'not',
        operand: {
          kind: 'or',
          operands: [flag('eal'), { kind: 'or', operands: [flag('sen'), flag('fsm')] }],
        },
      },
    ],
    ['quotes in a name', { kind: 'intervention', name: 'A “quoted” \\ "name"' }],
    ['reception', { kind: 'in', field: 'year', values: [0, 13] }],
    ['unnamed result key', { kind: 'result', key: 'KS1/ENG/RD/TA/', operator: '!=', value: 0.25 }],
  ])('parses the format of a built tree: %s', (_name, tree) => {
    expect(treeOf(formatRule(tree))).toEqual(tree);
  });
});

describe('parseRule errors', () => {
  it.each<[string, string, number, number, string, string]>([
    // [case, text, position, length, message contains, fix contains]
    ['empty', '   ', 1, 0, 'Enter a rule', 'disadvantaged'],
    [
      'unknown field',
      'attendence < 90%',
      1,
      10,
      'Unknown field “attendence”',
      'Did you mean attendance?',
    ],
    ['synonym', 'year = 7 and pp', 14, 2, 'Unknown field “pp”', 'Did you mean pupil_premium?'],
    ['value as field', 'girls', 1, 5, 'Unknown field “girls”', 'Did you mean sex = female?'],
    ['unknown with no guess', 'zzzzzz', 1, 6, 'Unknown field “zzzzzz”', 'help on writing rules'],
    ['missing value', 'attendance <', 13, 0, 'Missing a value after “<”', 'attendance < 90%'],
    [
      'value missing before and',
      'year = and eal',
      8,
      0,
      'Missing a value after “=”',
      'year in (9, 10)',
    ],
    [
      'missing comparison',
      'attendance',
      11,
      0,
      'Missing a comparison after “attendance”',
      'attendance < 90%',
    ],
    ['missing operator', 'year 7', 6, 1, 'Missing a comparison after “year”', 'year in (9, 10)'],
    [
      'missing condition after and',
      'eal and',
      8,
      0,
      'Missing a condition after “and”',
      'remove and',
    ],
    [
      'missing condition after not',
      'eal and not',
      12,
      0,
      'Missing a condition after “not”',
      'remove not',
    ],
    ['and at start', 'and eal', 1, 3, 'Missing a condition before “and”', 'remove and'],
    ['double and', 'eal and and sen', 9, 0, 'Missing a condition after “and”', 'such as eal'],
    ['unclosed bracket', '(disadvantaged and eal', 1, 1, 'Missing closing bracket', 'character 1'],
    [
      'unclosed inner bracket',
      'eal and (sen or (fsm)',
      9,
      1,
      'Missing closing bracket',
      'character 9',
    ],
    ['extra closing bracket', 'disadvantaged)', 14, 1, 'no bracket is open', 'add ( where'],
    ['closing bracket first', ')', 1, 1, 'Unexpected “)”', 'Remove it'],
    ['empty brackets', 'eal and ()', 9, 1, 'Empty brackets', 'Put a condition'],
    ['words inside brackets', '(eal sen)', 6, 3, 'Unexpected “sen”', 'close the bracket'],
    [
      'trailing word',
      'disadvantaged eal',
      15,
      3,
      'Unexpected “eal” after a complete condition',
      'disadvantaged and eal',
    ],
    ['trailing value', 'attendance < 90% 95%', 18, 3, 'Unexpected “95%”', 'and or or'],
    [
      'year with percentage',
      'year < 90%',
      8,
      3,
      'year is a year group, not a percentage',
      'year group from R to 13',
    ],
    ['year with small percentage', 'year < 9%', 8, 2, 'not a percentage', 'Write 9 without %'],
    ['percentage without %', 'attendance < 90', 14, 2, 'Missing % after 90', 'Write 90%'],
    ['proportion for percentage', 'attendance < 0.9', 14, 3, 'Missing % after 0.9', 'Write 90%'],
    ['percentage over 100', 'absence >= 120%', 12, 4, '120% is more than 100%', '0% to 100%'],
    ['large number for percentage', 'attendance < 900', 14, 3, 'percentage from 0% to 100%', '90%'],
    ['percentage decimals', 'attendance < 90.125%', 14, 7, 'more than 2 decimal places', '92.5%'],
    ['percentage as word', 'attendance < high', 14, 4, 'attendance takes a percentage', '90%'],
    ['year 14', 'year = 14', 8, 2, 'Year 14 is outside R to 13', 'R to 13'],
    ['year 0', 'year >= 0', 9, 1, 'Write reception as R', 'year = R'],
    ['year as word', 'year = seven', 8, 5, 'Unknown year group “seven”', 'R to 13'],
    ['reception spelt out', 'year = reception', 8, 9, 'Write reception as R', 'year = R'],
    ['nursery', 'year = N1', 8, 2, 'cannot be named', 'Nursery pupils sort below R'],
    ['year decimal', 'year < 9.5', 8, 3, 'whole numbers', 'R to 13'],
    ['unknown sex', 'sex = boy', 7, 3, 'Unknown sex “boy”', 'Write male'],
    ['unknown sex word', 'sex = other', 7, 5, 'Unknown sex “other”', 'female or male'],
    ['sex as number', 'sex = 1', 7, 1, 'sex takes a word', 'female or male'],
    ['ordered sex', 'sex > female', 5, 1, 'sex cannot be compared with >', 'Use = or !='],
    [
      'unknown ethnicity',
      'ethnicity = chinese',
      13,
      7,
      'Unknown ethnicity “chinese”',
      'write asian',
    ],
    ['ethnicity code', 'ethnicity = WBRI', 13, 4, 'Unknown ethnicity “WBRI”', 'WBRI is in white'],
    ['ethnicity typo', 'ethnicity = blak', 13, 4, 'Unknown ethnicity', 'Did you mean black?'],
    [
      'ethnicity unknown word',
      'ethnicity = purple',
      13,
      6,
      'Unknown ethnicity',
      'white, mixed, asian, black, other or unclassified',
    ],
    ['count decimal', 'suspensions >= 1.5', 16, 3, 'whole numbers', 'suspensions >= 2'],
    ['count percentage', 'suspensions >= 2%', 16, 2, 'not a percentage', 'Write 2 without %'],
    [
      'count too large',
      'interventions > 1000',
      17,
      4,
      'more interventions than any pupil has',
      '0 to 999',
    ],
    ['flag compared', 'eal = yes', 5, 1, 'eal is a yes-or-no condition', 'not eal'],
    ['flag with in', 'sen in (1)', 5, 2, 'sen is a yes-or-no condition', 'Write sen on its own'],
    [
      'in on percentage',
      'attendance in (90%)',
      12,
      2,
      'attendance cannot be used with in',
      'attendance < 90%',
    ],
    ['in without bracket', 'year in 9, 10', 9, 1, 'Missing ( after in', 'year in (9, 10)'],
    ['empty list', 'year in ()', 9, 2, 'Empty list', 'at least one value'],
    ['missing comma', 'year in (9 10)', 12, 2, 'Missing comma before “10”', 'commas'],
    ['unclosed list', 'year in (9, 10', 9, 1, 'Missing closing bracket', 'after the last value'],
    ['trailing comma', 'year in (9,)', 12, 0, 'Missing a value after “(”', 'year in (9, 10)'],
    [
      'result without key',
      'result < 100',
      8,
      1,
      'Missing an assessment key',
      'result "KS2/MAT/MAT/TT/SS" < 100',
    ],
    [
      'result with bare key',
      'result KS2 < 100',
      8,
      3,
      'Missing an assessment key',
      'result "KS2…" < 100',
    ],
    [
      'bad result key',
      'result "KS2/MAT" < 100',
      8,
      9,
      'is not five parts joined by /',
      'KS2/MAT/MAT/TT/SS',
    ],
    ['result percentage', 'ks2_maths < 100%', 13, 4, 'not percentages', 'Write 100 without %'],
    ['result with in', 'ks2_maths in (100)', 11, 2, 'cannot be used with in', 'ks2_maths < 100'],
    [
      'result missing comparison',
      'ks2_maths',
      10,
      0,
      'Missing a comparison after ks2_maths',
      'ks2_maths < 100',
    ],
    [
      'result too large',
      'ks2_maths < 10000',
      13,
      5,
      'larger than any assessment result',
      '0 to 9999',
    ],
    [
      'in without intervention',
      'in "Mentoring"',
      1,
      2,
      'Missing “intervention” after “in”',
      'in intervention "Reading catch-up"',
    ],
    [
      'intervention without in',
      'intervention "Mentoring"',
      1,
      12,
      'Write in before intervention',
      'in intervention',
    ],
    [
      'intervention without quotes',
      'in intervention Mentoring',
      17,
      9,
      'in double quotes',
      'in intervention "Mentoring"',
    ],
    [
      'intervention missing name',
      'in intervention',
      16,
      0,
      'Missing the intervention’s name',
      'double quotes',
    ],
    [
      'blank intervention name',
      'in intervention "  "',
      17,
      4,
      'name is empty',
      'between the quotes',
    ],
    ['unterminated string', 'in intervention "Mentoring', 17, 10, 'Missing closing quote', 'Add "'],
    ['string first', '"Mentoring"', 1, 11, 'Unexpected “"Mentoring"”', 'in intervention'],
    ['operator first', '< 90%', 1, 1, 'a condition starts with a field name', 'attendance < 90%'],
    ['double equals', 'year == 7', 6, 2, 'Unexpected “==”', 'Write ='],
    ['arrow', 'year => 7', 6, 2, 'Unexpected “=>”', 'Write >='],
    ['not equal sign', 'year ≠ 7', 6, 1, 'Unexpected “≠”', 'Write !='],
    ['ampersands', 'eal && sen', 5, 2, 'Unexpected “&&”', 'Write and'],
    ['pipe', 'eal | sen', 5, 1, 'Unexpected “|”', 'Write or'],
    ['exclamation', '!eal', 1, 1, 'Unexpected “!”', 'Write not'],
    ['single quotes', "in intervention 'Mentoring'", 17, 1, "Unexpected “'”", 'double quotes'],
    [
      'hyphen for underscore',
      'sen-support',
      1,
      11,
      'Unknown field “sen-support”',
      'Did you mean sen_support?',
    ],
    ['hyphenated synonym', 'ever-6', 1, 6, 'Unknown field “ever-6”', 'Did you mean ever6_fsm?'],
    ['minus sign', 'attendance < -5%', 14, 1, 'Unexpected “-”', 'Remove the minus sign'],
    ['slash', 'year = 9/10', 9, 1, 'Unexpected “/”', 'inside an assessment key'],
    ['lone percent', 'attendance < %', 14, 1, 'Unexpected “%”', 'straight after a number'],
    ['square bracket', 'year in [9]', 9, 1, 'Unexpected “[”', 'round brackets'],
    ['other character', 'eal $', 5, 1, 'Unexpected character “$”', 'Remove it'],
    ['earlier mistake first', 'attendence < 90% & eal', 1, 10, 'Unknown field', 'attendance'],
    ['character after a mistake', 'year = 14 $', 8, 2, 'Year 14 is outside', 'R to 13'],
    ['character before a mistake', 'eal $ year = 14', 5, 1, 'Unexpected character', 'Remove it'],
  ])('%s', (_case, text, position, length, message, fix) => {
    const result = parseRule(text);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.fix).toContain(fix);
    expect({ position: result.error.position, length: result.error.length }).toEqual({
      position,
      length,
    });
  });

  it('rejects a rule over the maximum length', () => {
    const text = `${'eal or '.repeat(400)}eal`;

    const result = parseRule(text);

    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error).toMatchObject({
      position: MAX_RULE_LENGTH + 1,
      length: text.length - MAX_RULE_LENGTH,
      message: `Rule is ${text.length.toLocaleString('en-GB')} characters long`,
    });
  });

  it('rejects nesting deeper than the limit', () => {
    const result = parseRule(`${'not '.repeat(30)}eal`);

    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.message).toContain('levels of brackets and nots');
  });

  it('accepts nesting up to the limit', () => {
    expect(parseRule(`${'not '.repeat(23)}eal`).ok).toBe(true);
  });
});

describe('ruleTreeFromJson', () => {
  it('reads a stored tree', () => {
    const tree = treeOf(
      'disadvantaged and year in (R, 9) and not attendance >= 92.5% or ks2_maths < 100 or in intervention "Mentoring"',
    );

    expect(ruleTreeFromJson(JSON.stringify(tree))).toEqual(tree);
  });

  it.each<[string, string]>([
    ['not JSON', '{kind: flag}'],
    ['unknown kind', '{"kind":"maybe"}'],
    ['unknown flag', '{"kind":"flag","field":"tall"}'],
    ['one operand', '{"kind":"and","operands":[{"kind":"flag","field":"eal"}]}'],
    ['extra property', '{"kind":"flag","field":"eal","note":"x"}'],
    ['year out of range', '{"kind":"compare","field":"year","operator":"=","value":14}'],
    ['year as word', '{"kind":"compare","field":"year","operator":"=","value":"R"}'],
    ['unknown sex', '{"kind":"in","field":"sex","values":["boy"]}'],
    ['percentage over 100', '{"kind":"compare","field":"absence","operator":">","value":101}'],
    ['percentage decimals', '{"kind":"compare","field":"absence","operator":">","value":10.125}'],
    ['count decimal', '{"kind":"compare","field":"suspensions","operator":">","value":1.5}'],
    ['ordered sex', '{"kind":"compare","field":"sex","operator":"<","value":"female"}'],
    ['list of percentages', '{"kind":"in","field":"attendance","values":[90]}'],
    ['empty list', '{"kind":"in","field":"year","values":[]}'],
    ['lower-case key', '{"kind":"result","key":"ks2/mat/mat/tt/ss","operator":"<","value":100}'],
    ['short key', '{"kind":"result","key":"KS2/MAT","operator":"<","value":100}'],
    ['blank intervention', '{"kind":"intervention","name":" "}'],
    [
      'too deep',
      `${'{"kind":"not","operand":'.repeat(30)}{"kind":"flag","field":"eal"}${'}'.repeat(30)}`,
    ],
  ])('rejects %s', (_case, json) => {
    expect(() => ruleTreeFromJson(json)).toThrow(InvalidRuleTreeError);
  });
});
