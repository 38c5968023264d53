import { describe, expect, it } from 'vitest';
import {
  formatPence,
  formatPenceBriefly,
  formatSignedPence,
  MAX_AMOUNT_PENCE,
  parsePounds,
  type MoneyField,
} from './money.js';

const TARIFF: MoneyField = {
  label: 'Price for tariff 1',
  missingMessage: 'Enter the price for tariff 1',
  allowZero: false,
};

describe('parsePounds', () => {
  it.each([
    ['£1,234.56', 123_456],
    ['1234.5', 123_450],
    ['1234', 123_400],
    [' £ 0.01 ', 1],
    ['10,000,000', MAX_AMOUNT_PENCE],
  ])('reads %j as %i pence', (input, pence) => {
    expect(parsePounds(input, TARIFF)).toEqual({ ok: true, pence });
  });

  it.each([
    ['', 'Enter the price for tariff 1'],
    ['12.345', 'Price for tariff 1 must have no more than 2 decimal places, like 5,000.50'],
    ['-5', 'Price for tariff 1 must be £0 or more. Remove the minus sign'],
    ['five', 'Price for tariff 1 must be an amount in pounds, like 5,000 or 5,000.50'],
    [
      '£1,23',
      'Price for tariff 1 must use commas only to separate thousands, like 12,500 or 1,250,000',
    ],
    ['10000000.01', 'Price for tariff 1 must be £10,000,000 or less. Check for extra zeros'],
    ['0', 'Price for tariff 1 must be more than £0'],
    ['£0.00', 'Price for tariff 1 must be more than £0'],
  ])('rejects %j', (input, error) => {
    expect(parsePounds(input, TARIFF)).toEqual({ ok: false, error });
  });

  it('accepts £0 by default', () => {
    const result = parsePounds('0', { label: 'Up-front payment', missingMessage: 'Enter it' });

    expect(result).toEqual({ ok: true, pence: 0 });
  });

  it('applies a lower maximum', () => {
    const field = { label: 'Hourly rate', missingMessage: 'Enter it', maxPence: 100_050 };

    expect(parsePounds('1000.50', field)).toEqual({ ok: true, pence: 100_050 });
    expect(parsePounds('1000.51', field)).toEqual({
      ok: false,
      error: 'Hourly rate must be £1,000.50 or less. Check for extra zeros',
    });
    expect(parsePounds('10000', field)).toEqual({
      ok: false,
      error: 'Hourly rate must be £1,000.50 or less. Check for extra zeros',
    });
  });
});

describe('formatPence', () => {
  it.each([
    [0, '£0.00'],
    [123_456, '£1,234.56'],
    [MAX_AMOUNT_PENCE, '£10,000,000.00'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it('rejects negative pence', () => {
    expect(() => formatPence(-1)).toThrow(RangeError);
  });
});

describe('formatSignedPence', () => {
  it.each([
    [-123_456, '-£1,234.56'],
    [-1, '-£0.01'],
    [0, '£0.00'],
    [598_000, '£5,980.00'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatSignedPence(pence)).toBe(text);
  });

  it('rejects fractional pence', () => {
    expect(() => formatSignedPence(0.5)).toThrow(RangeError);
  });
});

describe('formatPenceBriefly', () => {
  it.each([
    [MAX_AMOUNT_PENCE, '£10,000,000'],
    [12_345, '£123.45'],
    [100, '£1'],
  ])('formats %i pence as %s', (pence, text) => {
    expect(formatPenceBriefly(pence)).toBe(text);
  });
});
