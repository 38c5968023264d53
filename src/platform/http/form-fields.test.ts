import { describe, expect, it } from 'vitest';
import { checkDateParts, checkText, londonToday } from './form-fields.js';

const TODAY = '2025-03-14';

function date(day: string, month: string, year: string) {
  return checkDateParts({ day, month, year }, 'Date of the evidence', {
    missingMessage: 'Enter the date of the evidence',
    notAfter: TODAY,
  });
}

describe('checkText', () => {
  const rule = { label: 'Title', maxLength: 5, missingMessage: 'Enter a title' };

  it.each([
    ['abc', { ok: true, text: 'abc' }],
    ['  abc \n', { ok: true, text: 'abc' }],
    ['a  b', { ok: true, text: 'a  b' }],
    ['abcde', { ok: true, text: 'abcde' }],
    ['abcdef', { ok: false, message: 'Title must be 5 characters or fewer' }],
    ['   ', { ok: false, message: 'Enter a title' }],
    ['', { ok: false, message: 'Enter a title' }],
  ])('checks %j', (typed, expected) => {
    expect(checkText(typed, rule)).toEqual(expected);
  });

  it('allows empty optional text', () => {
    expect(checkText('  ', { label: 'Note', maxLength: 5 })).toEqual({ ok: true, text: '' });
  });

  it('counts thousands with a comma', () => {
    expect(checkText('x'.repeat(5001), { label: 'Summary', maxLength: 5000 })).toEqual({
      ok: false,
      message: 'Summary must be 5,000 characters or fewer',
    });
  });
});

describe('checkDateParts', () => {
  it.each([
    [['14', '3', '2025'], '2025-03-14'],
    [['01', '09', '2024'], '2024-09-01'],
    [[' 29 ', '2', '2024'], '2024-02-29'],
    [['1', '1', '1900'], '1900-01-01'],
    [['3', 'March', '2025'], '2025-03-03'],
    [['3', 'mar', '2025'], '2025-03-03'],
    [['10', 'SEPT', '2024'], '2024-09-10'],
  ])('reads %j', (parts, iso) => {
    const [day = '', month = '', year = ''] = parts;
    expect(date(day, month, year)).toEqual({ ok: true, iso });
  });

  it.each([
    [['', '', ''], 'Enter the date of the evidence', ['day', 'month', 'year']],
    [['3', '', '2025'], 'Date of the evidence must include a month', ['month']],
    [['', '', '2025'], 'Date of the evidence must include a day and month', ['day', 'month']],
    [['29', '2', '2025'], 'Date of the evidence must be a real date', ['day', 'month', 'year']],
    [['31', '4', '2024'], 'Date of the evidence must be a real date', ['day', 'month', 'year']],
    [['3', 'Marhc', '2025'], 'Date of the evidence must be a real date', ['day', 'month', 'year']],
    [['3', 'ju', '2025'], 'Date of the evidence must be a real date', ['day', 'month', 'year']],
    [['3', '3', '25'], 'Date of the evidence must be a real date', ['day', 'month', 'year']],
    [['3', '3', '1899'], 'Date of the evidence must be in 1900 or later', ['year']],
    [
      ['15', '3', '2025'],
      'Date of the evidence must be today or in the past',
      ['day', 'month', 'year'],
    ],
  ])('rejects %j', (parts, message, marked) => {
    const [day = '', month = '', year = ''] = parts;
    expect(date(day, month, year)).toEqual({ ok: false, message, parts: marked });
  });
});

describe('londonToday', () => {
  it.each([
    ['2025-06-30T23:30:00Z', '2025-07-01'],
    ['2025-12-31T23:30:00Z', '2025-12-31'],
    ['2025-03-30T00:30:00Z', '2025-03-30'],
  ])('dates %s in England', (instant, iso) => {
    expect(londonToday(new Date(instant))).toBe(iso);
  });
});
