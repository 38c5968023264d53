import { describe, expect, it } from 'vitest';
import type { ImportedPupil } from './model.js';
import {
  ProblemList,
  readEthnicity,
  readFlag,
  readLanguage,
  readNcYear,
  readSenProvision,
  readSex,
  readWholeNumber,
  validatePupils,
} from './validate-pupils.js';

const TODAY = new Date('2025-01-16T12:00:00Z');

function pupil(overrides: Partial<ImportedPupil> = {}): ImportedPupil {
  return {
    upn: 'X801400121001',
    upnTemporary: false,
    legalSurname: 'Smith',
    legalForename: 'Amelia',
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: '2012-09-05',
    sex: 'F',
    ncYear: '7',
    ethnicity: null,
    firstLanguage: null,
    eal: null,
    senProvision: null,
    inCare: null,
    previouslyLookedAfter: null,
    serviceChild: null,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: [],
    results: [],
    location: 'row 2',
    ...overrides,
  };
}

function attendance(possible: number, attended: number, authorised: number, unauthorised: number) {
  return [
    {
      academicYear: 2024,
      period: 'year' as const,
      schoolLaestab: null,
      possible,
      attended,
      authorised,
      unauthorised,
    },
  ];
}

describe('value readers', () => {
  it.each([
    ['M', 'M'],
    ['f', 'F'],
    ['Female', 'F'],
    [' male ', 'M'],
  ])('readSex reads "%s"', (text, expected) => {
    expect(readSex(text)).toEqual({ ok: true, value: expected });
  });

  it('readSex rejects an unknown code with the accepted values', () => {
    const reading = readSex('X');
    expect(reading.ok).toBe(false);
    expect(reading).toMatchObject({ ok: false, message: expect.stringContaining('"X"') });
    expect(reading).toMatchObject({ ok: false, message: expect.stringContaining('Use M or F') });
  });

  it.each([
    ['N', 'N'],
    ['K', 'K'],
    ['E', 'E'],
    ['SEN Support', 'K'],
    ['EHCP', 'E'],
    ['EHC Plan', 'E'],
    ['None', 'N'],
  ])('readSenProvision reads "%s"', (text, expected) => {
    expect(readSenProvision(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['S', 'statements (S) were replaced by EHC plans (E)'],
    ['A', 'School Action (A) was replaced by SEN support (K)'],
    ['Q', 'is not a recognised SEN provision'],
  ])('readSenProvision rejects "%s"', (text, reason) => {
    const reading = readSenProvision(text);
    expect(reading.ok).toBe(false);
    expect(reading).toMatchObject({ ok: false, message: expect.stringContaining(reason) });
    expect(reading).toMatchObject({
      ok: false,
      message: expect.stringContaining('N (no special provision), K (SEN support) or E (EHC plan)'),
    });
  });

  it.each([
    ['7', '7'],
    ['07', '7'],
    ['Year 7', '7'],
    ['Y11', '11'],
    ['Yr 3', '3'],
    ['R', 'R'],
    ['Reception', 'R'],
    ['Year R', 'R'],
    ['N1', 'N1'],
    ['X', 'X'],
    ['14', '14'],
  ])('readNcYear reads "%s"', (text, expected) => {
    expect(readNcYear(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['0', '15', 'Year', 'Seven'])('readNcYear rejects "%s"', (text) => {
    expect(readNcYear(text).ok).toBe(false);
  });

  it.each([
    ['Y', true],
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['N', false],
    ['No', false],
    ['false', false],
    ['0', false],
  ])('readFlag reads "%s"', (text, expected) => {
    expect(readFlag(text)).toEqual({ ok: true, value: expected });
  });

  it('readFlag rejects "maybe"', () => {
    expect(readFlag('maybe')).toEqual({
      ok: false,
      message: expect.stringContaining('Use Y or N'),
    });
  });

  it.each([
    ['WBRI', 'WBRI'],
    ['wbri', 'WBRI'],
    ['White - British', 'WBRI'],
    ['Black or Black British - African', 'BAFR'],
    ['Pakistani', 'APKN'],
  ])('readEthnicity reads "%s"', (text, expected) => {
    expect(readEthnicity(text)).toEqual({ ok: true, value: expected });
  });

  it('readEthnicity rejects a description it does not know', () => {
    expect(readEthnicity('Martian').ok).toBe(false);
  });

  it('readLanguage maps English and keeps other text with a warning', () => {
    expect(readLanguage('English')).toEqual({ ok: true, value: 'ENG' });
    expect(readLanguage('pol')).toEqual({ ok: true, value: 'POL' });
    const polish = readLanguage('Polish language');
    expect(polish).toMatchObject({ ok: true, value: 'Polish language' });
    expect(polish).toMatchObject({
      ok: true,
      warning: expect.stringContaining('not a DfE language code'),
    });
  });

  it.each([
    ['312', 312],
    ['-4', -4],
    ['12.0', 12],
  ])('readWholeNumber reads "%s"', (text, expected) => {
    expect(readWholeNumber(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['12.5', 'ten', ''])('readWholeNumber rejects "%s"', (text) => {
    expect(readWholeNumber(text).ok).toBe(false);
  });
});

describe('ProblemList', () => {
  it('starts each message with file, location and field', () => {
    const problems = new ProblemList('pupils.csv');
    problems.error(
      { location: 'row 4', field: 'DOB', value: '31/02/2024' },
      '"31/02/2024" is not a real date.',
    );
    expect(problems.items).toEqual([
      {
        severity: 'error',
        file: 'pupils.csv',
        location: 'row 4',
        field: 'DOB',
        value: '31/02/2024',
        message: 'pupils.csv, row 4, DOB: "31/02/2024" is not a real date.',
      },
    ]);
  });
});

describe('validatePupils', () => {
  it('accepts a sound pupil', () => {
    expect(
      validatePupils('f.csv', [pupil({ attendance: attendance(300, 280, 15, 5) })], {
        today: TODAY,
      }),
    ).toEqual([]);
  });

  it.each([
    {
      name: 'missing UPN',
      input: { upn: '' },
      field: 'UPN',
      value: '',
      text: 'The UPN is missing',
    },
    {
      name: 'invalid UPN',
      input: { upn: 'Z801200001001' },
      field: 'UPN',
      value: 'Z801200001001',
      text: 'check letter is Z',
    },
    {
      name: 'empty surname',
      input: { legalSurname: '' },
      field: 'legal surname',
      value: '',
      text: 'legal surname is empty',
    },
    {
      name: 'future birth date',
      input: { dateOfBirth: '2026-01-01' },
      field: 'date of birth',
      value: '2026-01-01',
      text: 'is in the future',
    },
    {
      name: 'ancient birth date',
      input: { dateOfBirth: '1912-09-05' },
      field: 'date of birth',
      value: '1912-09-05',
      text: '112 years old',
    },
    {
      name: 'attended over possible',
      input: { attendance: attendance(300, 310, 0, 0) },
      field: 'sessions attended',
      value: '310',
      text: 'more than the 300 possible',
    },
    {
      name: 'negative sessions',
      input: { attendance: attendance(300, -1, 0, 0) },
      field: 'sessions attended',
      value: '-1',
      text: 'is negative',
    },
    {
      name: 'FSM period reversed',
      input: { fsmPeriods: [{ start: '2023-01-01', end: '2022-01-01' }] },
      field: 'free school meal period',
      value: '2023-01-01 to 2022-01-01',
      text: 'ends (2022-01-01) before it starts',
    },
  ])('reports $name as an error', ({ input, field, value, text }) => {
    const problems = validatePupils('f.csv', [pupil(input)], { today: TODAY });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      file: 'f.csv',
      location: 'row 2',
      field,
      value,
    });
    expect(problems[0]?.message).toContain(text);
    expect(problems[0]?.message).toMatch(/^f\.csv, row 2, /);
  });

  it.each([
    {
      name: 'temporary UPN',
      input: { upn: 'W80140012101A', upnTemporary: true },
      text: 'temporary UPN',
    },
    { name: 'young pupil', input: { dateOfBirth: '2024-01-01' }, text: '1 year old' },
    {
      name: 'sessions not adding up',
      input: { attendance: attendance(300, 280, 10, 5) },
      text: '= 295, not the 300',
    },
  ])('reports $name as a warning', ({ input, text }) => {
    const problems = validatePupils('f.csv', [pupil(input)], { today: TODAY });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.severity).toBe('warning');
    expect(problems[0]?.message).toContain(text);
  });

  it('names both rows of a duplicate UPN', () => {
    const problems = validatePupils('f.csv', [pupil(), pupil({ location: 'row 9' })], {
      today: TODAY,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      location: 'row 9',
      value: 'X801400121001',
    });
    expect(problems[0]?.message).toContain('appears at row 2 and again at row 9');
  });

  it('uses the file column names', () => {
    const problems = validatePupils('f.csv', [pupil({ upn: 'bad' })], {
      today: TODAY,
      fieldLabels: { upn: 'Pupil UPN' },
    });
    expect(problems[0]?.field).toBe('Pupil UPN');
  });

  it('skips names for exclusion files', () => {
    expect(
      validatePupils('f.csv', [pupil({ legalSurname: '', legalForename: '' })], {
        today: TODAY,
        requireNames: false,
      }),
    ).toEqual([]);
  });

  it('reports negative sessions lost', () => {
    const exclusions = [
      {
        academicYear: 2024,
        kind: 'suspension' as const,
        startDate: '2024-11-12',
        sessionsLost: -2,
        reason: null,
      },
    ];
    const problems = validatePupils('f.csv', [pupil({ exclusions })], { today: TODAY });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', field: 'sessions lost', value: '-2' });
  });
});
