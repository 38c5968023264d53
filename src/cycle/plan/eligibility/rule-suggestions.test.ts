import { describe, expect, it } from 'vitest';
import { editDistance, suggestName } from './rule-suggestions.js';

describe('editDistance', () => {
  it.each([
    ['eal', 'eal', 0],
    ['attendence', 'attendance', 1],
    ['attednance', 'attendance', 1],
    ['sen', 'send', 1],
    ['', 'year', 4],
    ['kitten', 'sitting', 3],
  ])('%s to %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('suggestName', () => {
  it.each([
    ['ATTENDENCE', 'attendance'],
    ['disadvantage', 'disadvantaged'],
    ['pp', 'pupil_premium'],
    ['LAC', 'looked_after'],
    ['gender', 'sex'],
    ['boys', 'sex = male'],
    ['sen-support', 'sen_support'],
    ['ks2-maths', 'ks2_maths'],
    ['adn', 'and'],
    ['zzzz', null],
    ['attainment', null],
  ])('%s suggests %s', (word, expected) => {
    expect(suggestName(word)).toBe(expected);
  });
});
