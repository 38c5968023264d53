import { describe, expect, it } from 'vitest';
import { formatPence, MAX_DELEGATED_LIMIT_PENCE, parseDelegatedLimit } from './school-settings.js';

const NOT_A_NUMBER = 'Delegated approval limit must be an amount in pounds, like 5,000 or 5,000.50';
const NEGATIVE = 'Delegated approval limit must be £0 or more. Remove the minus sign';
const BAD_COMMAS =
  'Delegated approval limit must use commas only to separate thousands, like 12,500 or 1,250,000';
const TOO_MANY_DECIMALS =
  'Delegated approval limit must have no more than 2 decimal places, like 5,000.50';
const TOO_LARGE = 'Delegated approval limit must be £10,000,000 or less. Check for extra zeros';

describe('parseDelegatedLimit', () => {
  it.each([
    ['5000', 500_000],
    ['5,000', 500_000],
    ['£5,000.50', 500_050],
    ['£5000.5', 500_050],
    ['  £ 5,000.05  ', 500_005],
    ['5000.', 500_000],
    ['.75', 75],
    ['0', 0],
    ['£0.00', 0],
    ['007', 700],
    ['1,250,000', 125_000_000],
    ['10000000', MAX_DELEGATED_LIMIT_PENCE],
    ['£10,000,000.00', MAX_DELEGATED_LIMIT_PENCE],
  ])('reads %j as %i pence', (input, pence) => {
    expect(parseDelegatedLimit(input)).toEqual({ ok: true, pence });
  });

  it.each([
    ['', 'Enter the delegated approval limit'],
    ['   ', 'Enter the delegated approval limit'],
    ['five thousand', NOT_A_NUMBER],
    ['£', NOT_A_NUMBER],
    ['.', NOT_A_NUMBER],
    ['5k', NOT_A_NUMBER],
    ['5 000', NOT_A_NUMBER],
    ['££5', NOT_A_NUMBER],
    ['5e3', NOT_A_NUMBER],
    ['5.000.00', NOT_A_NUMBER],
    ['-', NOT_A_NUMBER],
    ['-5000', NEGATIVE],
    ['-£5,000', NEGATIVE],
    ['£-5,000', NEGATIVE],
    ['\u22125000', NEGATIVE],
    ['-0', NEGATIVE],
    ['5,00', BAD_COMMAS],
    ['5000,50', BAD_COMMAS],
    ['50,00,000', BAD_COMMAS],
    [',500', BAD_COMMAS],
    ['5,000,', BAD_COMMAS],
    ['5000.505', TOO_MANY_DECIMALS],
    ['£5,000.500', TOO_MANY_DECIMALS],
    ['10000000.01', TOO_LARGE],
    ['10,000,001', TOO_LARGE],
    ['100000000', TOO_LARGE],
    ['9'.repeat(40), TOO_LARGE],
  ])('rejects %j', (input, error) => {
    expect(parseDelegatedLimit(input)).toEqual({ ok: false, error });
  });
});

describe('formatPence', () => {
  it.each([
    [0, '£0.00'],
    [5, '£0.05'],
    [99, '£0.99'],
    [500_000, '£5,000.00'],
    [500_050, '£5,000.50'],
    [123_456_789, '£1,234,567.89'],
    [MAX_DELEGATED_LIMIT_PENCE, '£10,000,000.00'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN])('rejects %d pence', (pence) => {
    expect(() => formatPence(pence)).toThrow(RangeError);
  });
});
