import { describe, expect, it } from 'vitest';
import { MAX_COUNT, parseCount } from './whole-number.js';

const PUPILS = { label: 'Number of pupils', missingMessage: 'Enter the number of pupils', min: 1 };

describe('parseCount', () => {
  it.each([
    ['12', 12],
    [' 1,200 ', 1200],
    ['007', 7],
    ['100000', MAX_COUNT],
  ])('reads %j as %i', (input, value) => {
    expect(parseCount(input, PUPILS)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'Enter the number of pupils'],
    ['0', 'Number of pupils must be 1 or more'],
    ['-3', 'Number of pupils must be 1 or more'],
    ['2.5', 'Number of pupils must be a whole number, like 12'],
    ['twelve', 'Number of pupils must be a number, like 12'],
    ['1,20', 'Number of pupils must be a number, like 12'],
    ['100001', 'Number of pupils must be 100,000 or less'],
    ['9'.repeat(30), 'Number of pupils must be 100,000 or less'],
  ])('rejects %j', (input, error) => {
    expect(parseCount(input, PUPILS)).toEqual({ ok: false, error });
  });

  it('accepts 0 by default', () => {
    expect(parseCount('0', { label: 'Outcomes', missingMessage: 'Enter it' })).toEqual({
      ok: true,
      value: 0,
    });
  });
});
