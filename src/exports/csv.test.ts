import { parse } from 'csv-parse/sync';
import { describe, it, expect } from 'vitest';

import { formatCsvField, neutraliseFormula, toCsv, type CsvCell } from './csv.js';

describe('formatCsvField', () => {
  it.each<[string, CsvCell, string]>([
    ['plain text', 'Brookfield', 'Brookfield'],
    ['comma', 'Year 7, set 2', '"Year 7, set 2"'],
    ['double quote', 'the "gap"', '"the ""gap"""'],
    ['line feed', 'two\nlines', '"two\nlines"'],
    ['apostrophe name', "O'Neill", "O'Neill"],
    ['accented name', 'Zoë Ñúñez', 'Zoë Ñúñez'],
    ['empty string', '', ''],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['whole number', 42, '42'],
    ['negative number', -0.25, '-0.25'],
    ['tiny number', 1e-7, '1e-7'],
    ['true', true, 'TRUE'],
    ['false', false, 'FALSE'],
  ])('%s', (_name, cell, expected) => {
    expect(formatCsvField(cell)).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects %s',
    (cell) => {
      expect(() => formatCsvField(cell, 2, 3)).toThrow(/row 3, column 4/);
    },
  );
});

describe('neutraliseFormula', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-3', "'-3"],
    ['@cmd', "'@cmd"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ['', ''],
  ])('%j becomes %j', (text, expected) => {
    expect(neutraliseFormula(text)).toBe(expected);
  });

  it('quotes a neutralised carriage return', () => {
    expect(formatCsvField('\r=1+1')).toBe('"\'\r=1+1"');
  });
});

describe('toCsv', () => {
  it('ends every record in CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, 2],
      ]),
    ).toBe('a,b\r\n1,2\r\n');
  });

  it('writes nothing for no rows', () => {
    expect(toCsv([])).toBe('');
  });

  it('adds a byte order mark', () => {
    const text = toCsv([['Zoë']], { byteOrderMark: true });

    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('round-trips through csv-parse', () => {
    const rows: CsvCell[][] = [
      ['Group', 'Gap', 'Note'],
      ['Disadvantaged, Ever-6', -0.25, 'said "hello"\r\nthen left'],
      ["O'Brien", 3, null],
    ];

    const parsed = parse(toCsv(rows, { byteOrderMark: true }), { bom: true }) as string[][];

    expect(parsed).toEqual([
      ['Group', 'Gap', 'Note'],
      ['Disadvantaged, Ever-6', '-0.25', 'said "hello"\r\nthen left'],
      ["O'Brien", '3', ''],
    ]);
  });

  it('names the bad cell', () => {
    expect(() => toCsv([['ok'], ['ok', Number.NaN]])).toThrow(/row 2, column 2/);
  });
});
