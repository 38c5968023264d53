import { describe, expect, it } from 'vitest';
import {
  academicYearOfDate,
  formatAcademicYear,
  parseExcelSerialDate,
  parseIsoDate,
  parseUkDate,
} from './uk-date.js';

describe('parseUkDate', () => {
  it.each([
    ['05/09/2012', '2012-09-05'],
    ['5/9/2012', '2012-09-05'],
    ['05-09-2012', '2012-09-05'],
    ['05.09.2012', '2012-09-05'],
    ['2012-09-05', '2012-09-05'],
    ['29/02/2024', '2024-02-29'],
    ['05/09/2012 00:00:00', '2012-09-05'],
    ['2012-09-05T00:00:00', '2012-09-05'],
  ])('reads "%s"', (text, iso) => {
    expect(parseUkDate(text)).toEqual({ ok: true, iso });
  });

  it.each([
    ['31/02/2024', 'February 2024 has 29 days'],
    ['29/02/2023', 'February 2023 has 28 days'],
    ['31/04/2024', 'April 2024 has 30 days'],
    ['09/25/2012', 'looks like month/day/year'],
    ['05/13/2012', 'looks like month/day/year'],
    ['05/09/12', 'two-digit year'],
    ['5th Sept 2012', 'is not a date'],
    ['05/09/2012 13:45', 'is not a date'],
    ['2024-13-01', 'no month 13'],
  ])('rejects "%s"', (text, reason) => {
    const reading = parseUkDate(text);
    expect(reading.ok).toBe(false);
    expect(reading).toMatchObject({ ok: false, message: expect.stringContaining(reason) });
    expect(reading).toMatchObject({ ok: false, message: expect.stringContaining(`"${text}"`) });
  });
});

describe('parseIsoDate', () => {
  it('reads a CTF date', () => {
    expect(parseIsoDate('2008-04-26')).toEqual({ ok: true, iso: '2008-04-26' });
  });

  it.each(['26/04/2008', '2008-4-26', '2024-02-30'])('rejects "%s"', (text) => {
    expect(parseIsoDate(text).ok).toBe(false);
  });
});

describe('parseExcelSerialDate', () => {
  it.each([
    [1, false, '1900-01-01'],
    [59, false, '1900-02-28'],
    [61, false, '1900-03-01'],
    [41157, false, '2012-09-05'],
    [41157.75, false, '2012-09-05'],
    [39695, true, '2012-09-05'],
  ])('converts serial %s (1904 system: %s)', (serial, date1904, iso) => {
    expect(parseExcelSerialDate(serial, date1904)).toEqual({ ok: true, iso });
  });

  it.each([0, -5, 60, 3e6])('rejects serial %s', (serial) => {
    expect(parseExcelSerialDate(serial, false).ok).toBe(false);
  });
});

describe('academic years', () => {
  it.each([
    ['2024-09-01', 2024],
    ['2025-08-31', 2024],
    ['2024-08-31', 2023],
  ])('%s is in %i', (iso, year) => {
    expect(academicYearOfDate(iso)).toBe(year);
  });

  it('formats 2024 as 2024/25', () => {
    expect(formatAcademicYear(2024)).toBe('2024/25');
    expect(formatAcademicYear(1999)).toBe('1999/00');
  });
});
