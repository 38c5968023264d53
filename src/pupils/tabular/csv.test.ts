import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ImportProblem, ParsedImport } from '../model.js';
import { parseCsv } from './csv.js';

const FIXTURES = new URL('../../../test/fixtures/imports/', import.meta.url);
const OPTIONS = { academicYear: 2024 };
const HEADER =
  'UPN,Surname,Forename,DOB,Gender,Year,SEN,FSM,Ethnicity,Term,Possible Sessions,Attended,Authorised Absence,Unauthorised Absence';
const GOOD_ROW = 'X801400121001,Smith,Amelia,05/09/2012,F,7,N,N,WBRI,Autumn,150,140,6,4';

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

function csv(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

function errors(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'error');
}

function warnings(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'warning');
}

describe('parseCsv with MIS exports', () => {
  it('reads a UTF-8 file with a BOM', () => {
    const parsed = parseCsv('sims.csv', fixture('sims-pupils-utf8-bom.csv'), OPTIONS);
    expect(parsed.encoding).toBe('UTF-8 with BOM');
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils.map((pupil) => pupil.legalSurname)).toEqual([
      'Smith, Jr',
      "O'Brien",
      'Kowalska',
      'Ahmed',
    ]);
    expect(parsed.pupils.map((pupil) => pupil.dateOfBirth)).toEqual([
      '2012-09-05',
      '2013-02-14',
      '2012-11-30',
      '2012-03-01',
    ]);
    expect(parsed.pupils[2]).toMatchObject({
      legalForename: 'Zoë',
      sex: 'F',
      ncYear: '8',
      senProvision: 'K',
      firstLanguage: 'POL',
    });
    expect(parsed.pupils[1]).toMatchObject({
      ethnicity: 'WIRI',
      firstLanguage: 'ENG',
      reported: { fsmNow: true, ever6Fsm: true, pupilPremium: true },
    });
    expect(parsed.pupils[3]).toMatchObject({
      upn: 'W80140012101A',
      upnTemporary: true,
      inCare: true,
      senProvision: 'E',
    });
    expect(parsed.pupils[0]?.attendance).toEqual([
      {
        academicYear: 2024,
        period: 'year',
        schoolLaestab: null,
        possible: 320,
        attended: 300,
        authorised: 15,
        unauthorised: 5,
      },
    ]);
    expect(parsed.columns?.fields['Tutor Group']).toBeNull();
    expect(parsed.columns?.missing).toEqual([]);
  });

  it('reads a Windows-1252 file and says so', () => {
    const parsed = parseCsv('arbor.csv', fixture('arbor-pupils-windows-1252.csv'), OPTIONS);
    expect(parsed.encoding).toBe('Windows-1252');
    expect(parsed.pupils.map((pupil) => [pupil.legalSurname, pupil.legalForename])).toEqual([
      ["O'Brien", 'Zoë'],
      ['Müller', 'José'],
    ]);
    expect(parsed.pupils[1]).toMatchObject({
      preferredSurname: 'Muller',
      preferredForename: 'Jo',
      eal: true,
      ncYear: '5',
    });
    expect(errors(parsed)).toEqual([]);
    expect(warnings(parsed)).toHaveLength(1);
    expect(warnings(parsed)[0]?.message).toContain('read as Windows-1252');
  });

  it('reads UTF-16 tab-separated text', () => {
    const text = 'UPN\tSurname\tForename\r\nX801400121001\tNguyễn\tAnh\r\n';
    const parsed = parseCsv(
      'unicode.txt',
      iconv.encode(text, 'utf16le', { addBOM: true }),
      OPTIONS,
    );
    expect(parsed.encoding).toBe('UTF-16 LE');
    expect(parsed.pupils[0]).toMatchObject({
      upn: 'X801400121001',
      legalSurname: 'Nguyễn',
      legalForename: 'Anh',
    });
  });

  it('reads semicolon-separated text', () => {
    const parsed = parseCsv(
      'eu.csv',
      csv('UPN;Surname;Forename', 'X801400121001;Smith;Amelia'),
      OPTIONS,
    );
    expect(parsed.pupils[0]).toMatchObject({ legalSurname: 'Smith', legalForename: 'Amelia' });
  });

  it('keeps quoted commas, quotes and line breaks', () => {
    const parsed = parseCsv(
      'q.csv',
      csv(
        'UPN,Surname,Forename',
        'X801400121001,"Smith, Jr","Amelia ""Millie""\nRose"',
        'L801400121002,Jones,Leo',
      ),
      OPTIONS,
    );
    expect(parsed.pupils[0]).toMatchObject({
      legalSurname: 'Smith, Jr',
      legalForename: 'Amelia "Millie"\nRose',
    });
    expect(parsed.pupils[1]?.location).toBe('row 3');
  });
});

describe('parseCsv bad values', () => {
  it.each([
    { header: 'DOB', value: '31/02/2024', text: 'February 2024 has 29 days' },
    { header: 'DOB', value: '09/25/2012', text: 'day/month/year' },
    { header: 'Gender', value: 'X', text: 'Use M or F' },
    { header: 'Year', value: '15', text: 'Use R, 1 to 14' },
    {
      header: 'SEN',
      value: 'Q',
      text: 'Use N (no special provision), K (SEN support) or E (EHC plan)',
    },
    { header: 'FSM', value: 'maybe', text: 'Use Y or N' },
    { header: 'Ethnicity', value: 'Martian', text: 'four-letter code' },
    { header: 'Term', value: 'Easter', text: 'Use Autumn, Spring or Summer' },
    { header: 'Attended', value: 'ten', text: 'Enter a count of half-day sessions' },
    { header: 'Possible Sessions', value: '150.5', text: 'not a whole number' },
  ])('$header "$value" is an error', ({ header, value, text }) => {
    const columns = HEADER.split(',');
    const cells = GOOD_ROW.split(',');
    cells[columns.indexOf(header)] = value;
    const parsed = parseCsv('bad.csv', csv(HEADER, cells.join(',')), OPTIONS);

    const problems = errors(parsed);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'bad.csv', location: 'row 2', field: header, value });
    expect(problems[0]?.message).toContain(`bad.csv, row 2, ${header}: `);
    expect(problems[0]?.message).toContain(`"${value}"`);
    expect(problems[0]?.message).toContain(text);
  });

  it('leaves an unreadable value empty', () => {
    const parsed = parseCsv(
      'bad.csv',
      csv(HEADER, GOOD_ROW.replace('05/09/2012', '31/02/2024')),
      OPTIONS,
    );
    expect(parsed.pupils[0]?.dateOfBirth).toBeNull();
  });

  it('reports a row with some attendance missing', () => {
    const parsed = parseCsv('bad.csv', csv(HEADER, GOOD_ROW.replace(',140,', ',,')), OPTIONS);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({ location: 'row 2', field: 'Attended', value: '' });
    expect(errors(parsed)[0]?.message).toContain('Enter the number of sessions (0 if none)');
    expect(parsed.pupils[0]?.attendance).toEqual([]);
  });

  it('reads a row with no attendance', () => {
    const parsed = parseCsv(
      'ok.csv',
      csv(HEADER, 'X801400121001,Smith,Amelia,05/09/2012,F,7,N,N,WBRI,,,,,'),
      OPTIONS,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils[0]?.attendance).toEqual([]);
  });
});

describe('parseCsv columns', () => {
  it('returns the mapping when a required column is missing', () => {
    const parsed = parseCsv('m.csv', csv('UPN,Surname,House', 'X801400121001,Smith,Red'), OPTIONS);
    expect(parsed.pupils).toEqual([]);
    expect(parsed.columns).toEqual({
      headers: ['UPN', 'Surname', 'House'],
      fields: { UPN: 'upn', Surname: 'legalSurname', House: null },
      missing: ['legalForename'],
    });
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({
      location: 'row 1',
      field: 'Legal forename',
      value: null,
    });
    expect(errors(parsed)[0]?.message).toContain('Choose the column that holds it');
  });

  it('reads the file once the user maps the column', () => {
    const parsed = parseCsv('m.csv', csv('UPN,Surname,Known As', 'X801400121001,Smith,Millie'), {
      ...OPTIONS,
      mapping: { 'Known As': 'legalForename' },
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils[0]?.legalForename).toBe('Millie');
  });

  it('reads no rows without a year', () => {
    const parsed = parseCsv('y.csv', csv('UPN,Surname,Forename', 'X801400121001,Smith,Amelia'), {});

    expect(parsed.pupils).toEqual([]);
    expect(parsed.academicYear).toBeNull();
    expect(parsed.columns?.missing).toEqual([]);
    // The import service reports the missing year once, whatever the format.
    expect(parsed.problems).toEqual([]);
  });

  it('rejects an impossible academic year', () => {
    const parsed = parseCsv('y.csv', csv('UPN,Surname,Forename', 'X801400121001,Smith,Amelia'), {
      academicYear: 24,
    });
    expect(errors(parsed)[0]).toMatchObject({ field: 'academic year', value: '24' });
  });

  it('skips a title line above the headers', () => {
    const parsed = parseCsv(
      't.csv',
      csv('Pupil list printed 16/01/2025,,', 'UPN,Surname,Forename', 'X801400121001,Smith,Amelia'),
      OPTIONS,
    );
    expect(parsed.pupils[0]?.location).toBe('row 3');
    expect(warnings(parsed)).toHaveLength(1);
    expect(warnings(parsed)[0]).toMatchObject({
      location: 'row 1',
      value: 'Pupil list printed 16/01/2025',
    });
    expect(warnings(parsed)[0]?.message).toContain(
      'the line above them (such as a title) was not read as a pupil.',
    );
  });

  it('counts title lines above the headers', () => {
    const parsed = parseCsv(
      't.csv',
      csv('Pupil list,,', 'Printed 16/01/2025,,', 'UPN,Surname,Forename', 'X801400121001,Smith,A'),
      OPTIONS,
    );

    expect(warnings(parsed)[0]?.message).toContain(
      'the 2 lines above them (such as a title) were not read as pupils.',
    );
  });

  it('warns about values beyond the last header', () => {
    const parsed = parseCsv(
      'x.csv',
      csv('UPN,Surname,Forename', 'X801400121001,Smith,Amelia,stray'),
      OPTIONS,
    );
    expect(warnings(parsed)[0]).toMatchObject({
      location: 'row 2',
      field: 'column D',
      value: 'stray',
    });
  });

  it('removes surrounding spaces and says so once per column', () => {
    const parsed = parseCsv(
      's.csv',
      csv('UPN,Surname,Forename', ' X801400121001 ,Smith ,Amelia', 'L801400121002,Jones ,Leo'),
      OPTIONS,
    );
    expect(parsed.pupils.map((pupil) => [pupil.upn, pupil.legalSurname])).toEqual([
      ['X801400121001', 'Smith'],
      ['L801400121002', 'Jones'],
    ]);
    expect(warnings(parsed).map((problem) => [problem.field, problem.location])).toEqual([
      ['UPN', 'row 2'],
      ['Surname', 'row 2'],
    ]);
    expect(warnings(parsed)[1]?.message).toContain('2 values in this column');
  });
});

describe('parseCsv attendance columns', () => {
  it('works out a missing count from the other three', () => {
    const parsed = parseCsv(
      'a.csv',
      csv(
        'UPN,Surname,Forename,Possible,Authorised,Unauthorised',
        'X801400121001,Smith,Amelia,300,12,8',
      ),
      OPTIONS,
    );
    expect(parsed.pupils[0]?.attendance[0]).toMatchObject({
      possible: 300,
      attended: 280,
      authorised: 12,
      unauthorised: 8,
    });
    expect(warnings(parsed)[0]?.message).toContain('No column gives sessions attended');
  });

  it('skips attendance with two counts', () => {
    const parsed = parseCsv(
      'a.csv',
      csv('UPN,Surname,Forename,Possible,Attended', 'X801400121001,Smith,Amelia,300,280'),
      OPTIONS,
    );
    expect(parsed.pupils[0]?.attendance).toEqual([]);
    expect(warnings(parsed)[0]?.message).toContain('Attendance was not imported');
  });

  it('warns when the percentage disagrees with the counts', () => {
    const header = 'UPN,Surname,Forename,Possible,Attended,Authorised,Unauthorised,Attendance %';
    const parsed = parseCsv(
      'a.csv',
      csv(
        header,
        'X801400121001,Smith,Amelia,300,280,12,8,99.0%',
        'L801400121002,Jones,Leo,300,270,20,10,0.9',
      ),
      OPTIONS,
    );
    expect(warnings(parsed)).toHaveLength(1);
    expect(warnings(parsed)[0]).toMatchObject({
      location: 'row 2',
      field: 'Attendance %',
      value: '99.0%',
    });
    expect(warnings(parsed)[0]?.message).toContain('give 93.3%');
  });

  it('joins term rows of one pupil', () => {
    const parsed = parseCsv(
      't.csv',
      csv(HEADER, GOOD_ROW, GOOD_ROW.replace('Autumn', 'Spring')),
      OPTIONS,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils).toHaveLength(1);
    expect(parsed.pupils[0]?.location).toBe('rows 2 and 3');
    expect(parsed.pupils[0]?.attendance.map((record) => record.period)).toEqual([
      'autumn',
      'spring',
    ]);
  });

  it('reports a term given twice', () => {
    const parsed = parseCsv('t.csv', csv(HEADER, GOOD_ROW, GOOD_ROW), OPTIONS);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({
      location: 'row 3',
      field: 'UPN',
      value: 'X801400121001',
    });
    expect(errors(parsed)[0]?.message).toContain('the autumn term at row 2 and again at row 3');
  });

  it('reports term rows that disagree', () => {
    const parsed = parseCsv(
      't.csv',
      csv(HEADER, GOOD_ROW, GOOD_ROW.replace('Autumn', 'Spring').replace(',N,N,', ',K,N,')),
      OPTIONS,
    );
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({ location: 'row 3', field: 'SEN', value: 'K' });
    expect(errors(parsed)[0]?.message).toContain('has SEN "N" at row 2 but "K" at row 3');
  });

  it('reads an empty term as the whole year, with a warning', () => {
    const parsed = parseCsv('t.csv', csv(HEADER, GOOD_ROW.replace('Autumn', '')), OPTIONS);
    expect(parsed.pupils[0]?.attendance[0]?.period).toBe('year');
    expect(warnings(parsed)[0]).toMatchObject({ location: 'row 2', field: 'Term' });
  });
});

describe('parseCsv exclusions', () => {
  it('reads an exclusions file', () => {
    const parsed = parseCsv('exclusions.csv', fixture('exclusions.csv'), OPTIONS);
    expect(parsed.problems).toEqual([]);
    expect(parsed.contents).toBe('exclusions');
    expect(
      parsed.pupils.map((pupil) => [pupil.upn, pupil.location, pupil.exclusions.length]),
    ).toEqual([
      ['X801400121001', 'rows 2 and 3', 2],
      ['L801400121002', 'row 4', 1],
    ]);
    expect(parsed.pupils[1]?.exclusions[0]).toEqual({
      academicYear: 2024,
      kind: 'permanent',
      startDate: '2025-03-20',
      sessionsLost: null,
      reason: 'Physical assault against a pupil',
    });
    expect(parsed.pupils[0]).toMatchObject({
      sex: null,
      dateOfBirth: null,
      senProvision: null,
      attendance: [],
    });
  });

  it('needs no names', () => {
    const parsed = parseCsv(
      'e.csv',
      csv('UPN,Exclusion Type,Exclusion Start Date', 'X801400121001,PERM,01/10/2024'),
      OPTIONS,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils[0]?.exclusions[0]).toMatchObject({
      kind: 'permanent',
      startDate: '2024-10-01',
      academicYear: 2024,
    });
  });

  it.each([
    {
      row: 'X801400121001,Detention,01/10/2024,2',
      field: 'Type',
      value: 'Detention',
      text: 'Use Suspension',
    },
    {
      row: 'X801400121001,Suspension,,2',
      field: 'Start Date',
      value: '',
      text: 'The start date is empty',
    },
    {
      row: 'X801400121001,,01/10/2024,2',
      field: 'Type',
      value: '',
      text: 'The kind of exclusion is empty',
    },
    {
      row: 'X801400121001,Suspension,32/10/2024,2',
      field: 'Start Date',
      value: '32/10/2024',
      text: 'October 2024 has 31 days',
    },
    {
      row: 'X801400121001,Suspension,01/10/2024,two',
      field: 'Sessions',
      value: 'two',
      text: 'not a whole number',
    },
  ])('$field "$value" is an error', ({ row, field, value, text }) => {
    const parsed = parseCsv('e.csv', csv('UPN,Type,Start Date,Sessions', row), OPTIONS);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]).toMatchObject({ file: 'e.csv', location: 'row 2', field, value });
    expect(errors(parsed)[0]?.message).toContain(text);
  });

  it('reports the same exclusion twice', () => {
    const parsed = parseCsv(
      'e.csv',
      csv(
        'UPN,Type,Start Date',
        'X801400121001,Suspension,01/10/2024',
        'X801400121001,FIXD,01/10/2024',
      ),
      OPTIONS,
    );
    expect(errors(parsed)[0]?.message).toContain(
      'a suspension starting 2024-10-01 at row 2 and again at row 3',
    );
  });

  it('reads a lunchtime suspension with a warning', () => {
    const parsed = parseCsv(
      'e.csv',
      csv('UPN,Type,Start Date', 'X801400121001,Lunchtime,01/10/2024'),
      OPTIONS,
    );
    expect(parsed.pupils[0]?.exclusions[0]?.kind).toBe('suspension');
    expect(warnings(parsed)[0]).toMatchObject({ field: 'Type', value: 'Lunchtime' });
  });
});

describe('parseCsv unreadable files', () => {
  it.each([
    { name: 'an empty file', bytes: Buffer.alloc(0), text: 'The file has no rows' },
    { name: 'only headers', bytes: csv('UPN,Surname,Forename'), text: 'no rows below it' },
    {
      name: 'an unclosed quote',
      bytes: csv('UPN,Surname,Forename', 'X801400121001,"Smith,Amelia'),
      text: 'is never closed',
    },
    {
      name: 'binary content',
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      text: 'NUL character',
    },
  ])('$name gives an error', ({ bytes, text }) => {
    const parsed = parseCsv('u.csv', bytes, OPTIONS);
    expect(parsed.pupils).toEqual([]);
    expect(errors(parsed)).toHaveLength(1);
    expect(errors(parsed)[0]?.file).toBe('u.csv');
    expect(errors(parsed)[0]?.message).toContain(text);
  });
});
