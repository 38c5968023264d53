import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ImportProblem, ParsedImport } from '../model.js';
import { parseCtf } from './parse-ctf.js';

const ACCEPTANCE = fileURLToPath(
  new URL('../../../../shared/acceptance/foundation/', import.meta.url),
);
const FIXTURES = new URL('../../../test/fixtures/imports/', import.meta.url);
const hasAcceptance = existsSync(`${ACCEPTANCE}brookfield-ctf25.xml`);

function errors(parsed: ParsedImport): ImportProblem[] {
  return parsed.problems.filter((problem) => problem.severity === 'error');
}

const PUPIL = `<Pupil>
<UPN>X801400121001</UPN>
<Surname>Smith</Surname>
<Forename>Amelia</Forename>
<DOB>2012-09-05</DOB>
<Sex>F</Sex>
<BasicDetails><NCyearActual>7</NCyearActual><Ethnicity>WBRI</Ethnicity></BasicDetails>
<SENhistory><SEN><StartDate>2023-09-05</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>
<FSMhistory><FSMinstance><FSMstartDate>2022-09-04</FSMstartDate></FSMinstance></FSMhistory>
<Attendance><YearData><Year>2024</Year><LEA>801</LEA><Estab>4001</Estab><SessionsPossible>300</SessionsPossible><SessionsAuthorised>15</SessionsAuthorised><SessionsAttended>280</SessionsAttended><SessionsUnauthorised>5</SessionsUnauthorised></YearData></Attendance>
</Pupil>`;

function ctf(pupils: string[] = [PUPIL], version = '25.0'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
<Header>
<DocumentName>Common Transfer File</DocumentName>
<CTFversion>${version}</CTFversion>
<SourceSchool><LEA>801</LEA><Estab>4001</Estab><SchoolName>Synthetic School</SchoolName><AcademicYear>2024</AcademicYear></SourceSchool>
<DestSchool><LEA>801</LEA><Estab>4002</Estab></DestSchool>
</Header>
<CTFpupilData>
${pupils.join('\n')}
</CTFpupilData>
</CTfile>
`;
}

function parseText(text: string, fileName = 'test.xml'): ParsedImport {
  return parseCtf(fileName, Buffer.from(text, 'utf8'));
}

describe.skipIf(!hasAcceptance)('parseCtf on the acceptance files', () => {
  const read = (name: string): ParsedImport => parseCtf(name, readFileSync(`${ACCEPTANCE}${name}`));

  it('reads the Brookfield CTF', () => {
    const parsed = read('brookfield-ctf25.xml');
    expect(parsed.problems).toEqual([]);
    expect(parsed).toMatchObject({
      format: 'ctf',
      ctfVersion: '25.0',
      academicYear: 2024,
      sourceSchool: { laestab: '8014001', name: 'Brookfield Academy' },
      destinationSchool: { laestab: '8014001', name: null },
      columns: null,
    });
    expect(parsed.pupils).toHaveLength(60);
    expect(parsed.pupils.filter((pupil) => pupil.fsmPeriods.length > 0)).toHaveLength(20);
    expect(
      parsed.pupils.filter((pupil) => pupil.fsmPeriods.some((period) => period.end !== null)),
    ).toHaveLength(5);
    expect(parsed.pupils.filter((pupil) => pupil.senProvision !== null)).toHaveLength(11);
    expect(parsed.pupils.filter((pupil) => pupil.firstLanguage === 'POL')).toHaveLength(12);
    expect(
      parsed.pupils.every(
        (pupil) =>
          pupil.attendance.length === 1 && pupil.attendance[0]?.schoolLaestab === '8014001',
      ),
    ).toBe(true);
    expect(parsed.pupils.reduce((total, pupil) => total + pupil.results.length, 0)).toBe(112);
  });

  it('reads the first Brookfield pupil fully', () => {
    const first = read('brookfield-ctf25.xml').pupils[0];
    expect(first).toEqual({
      upn: 'L801400120001',
      upnTemporary: false,
      legalSurname: 'Brown-Lee',
      legalForename: 'Fatima',
      preferredSurname: null,
      preferredForename: null,
      dateOfBirth: '2008-04-26',
      sex: 'F',
      ncYear: '11',
      ethnicity: 'BCRB',
      firstLanguage: 'ENG',
      eal: null,
      senProvision: null,
      inCare: false,
      previouslyLookedAfter: null,
      serviceChild: null,
      fsmPeriods: [],
      reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
      attendance: [
        {
          academicYear: 2024,
          period: 'year',
          schoolLaestab: '8014001',
          possible: 304,
          attended: 274,
          authorised: 17,
          unauthorised: 13,
        },
      ],
      exclusions: [],
      results: [
        {
          stage: 'KS2',
          subject: 'ENG',
          component: 'RD',
          method: 'TT',
          qualifier: 'SS',
          result: '107',
          resultDate: '2019-07-05',
          year: 2019,
        },
        {
          stage: 'KS2',
          subject: 'MAT',
          component: 'MAT',
          method: 'TT',
          qualifier: 'SS',
          result: '103',
          resultDate: '2019-07-05',
          year: 2019,
        },
      ],
      location: 'Pupil 1, line 22',
    });
  });

  it.each([
    { file: 'empty.xml', location: 'whole file', text: 'The file is empty (0 bytes)' },
    {
      file: 'truncated.xml',
      location: /^line \d+, column \d+$/,
      text: 'The XML ends before it is complete',
    },
    {
      file: 'xxe-external-entity.xml',
      location: 'line 2, column 67',
      text: 'contains a DOCTYPE declaration, which is not allowed; export the file again from your MIS',
    },
    {
      file: 'entity-expansion.xml',
      location: /^line 13, column \d+$/,
      text: 'contains a DOCTYPE declaration, which is not allowed; export the file again from your MIS',
    },
  ])('rejects $file', ({ file, location, text }) => {
    const parsed = read(file);
    expect(parsed.pupils).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ severity: 'error', file, location });
    expect(parsed.problems[0]?.message).toContain(text);
    expect(parsed.problems[0]?.message).not.toContain('root:');
  });
});

describe('parseCtf on synthetic files', () => {
  it('reads older and optional elements', () => {
    const parsed = parseCtf(
      'ctf23.xml',
      readFileSync(new URL('ctf23-older-elements.xml', FIXTURES)),
    );
    expect(parsed).toMatchObject({
      ctfVersion: '23.0',
      academicYear: 2023,
      sourceSchool: { laestab: '8012002', name: 'Synthetic Primary School' },
    });
    expect(parsed.pupils[0]).toMatchObject({
      legalSurname: "O'Neill",
      legalForename: 'Zoë',
      preferredSurname: "O'Neill-Hart",
      preferredForename: 'Zo',
      sex: 'F',
      firstLanguage: 'ENB',
      inCare: true,
      senProvision: 'E',
      fsmPeriods: [
        { start: '2019-01-07', end: '2021-07-23' },
        { start: '2023-01-09', end: null },
      ],
      attendance: [
        {
          academicYear: 2023,
          period: 'year',
          schoolLaestab: '8012002',
          possible: 300,
          attended: 280,
          authorised: 12,
          unauthorised: 8,
        },
      ],
    });
    expect(parsed.pupils[0]?.results).toHaveLength(1);
    expect(errors(parsed)).toEqual([]);
    expect(parsed.problems.map((problem) => problem.field)).toEqual([
      'Attendance/YearData/SessionsUnauthorised',
      'StageAssessments/KeyStage/StageAssessment',
    ]);
  });

  it.each(['23.0', '24.0', '26.0'])('accepts version %s', (version) => {
    const parsed = parseText(ctf([PUPIL], version));
    expect(parsed.ctfVersion).toBe(version);
    expect(parsed.pupils).toHaveLength(1);
  });

  it.each(['22.0', '26.1', '27.0', 'latest'])('rejects version %s and names it', (version) => {
    const parsed = parseText(ctf([PUPIL], version));
    expect(parsed.pupils).toEqual([]);
    expect(parsed.ctfVersion).toBe(version);
    expect(errors(parsed)[0]?.message).toContain(
      `The file is CTF version ${version}, but this app reads versions 23.0 to 26.0`,
    );
  });

  it('reads UTF-16 with a byte order mark', () => {
    const parsed = parseCtf(
      'utf16.xml',
      iconv.encode(ctf().replace('UTF-8', 'UTF-16').replace('Amelia', 'Zoë'), 'utf16le', {
        addBOM: true,
      }),
    );
    expect(errors(parsed)).toEqual([]);
    expect(parsed.pupils[0]?.legalForename).toBe('Zoë');
  });

  it('reads a declared ISO-8859-1 encoding', () => {
    const parsed = parseCtf(
      'latin1.xml',
      iconv.encode(ctf().replace('UTF-8', 'ISO-8859-1').replace('Amelia', 'Zoë'), 'latin1'),
    );
    expect(parsed.pupils[0]?.legalForename).toBe('Zoë');
  });

  it('takes the latest SEN provision by start date', () => {
    const history =
      '<SENhistory><SEN><StartDate>2024-01-10</StartDate><SENprovision>E</SENprovision></SEN><SEN><StartDate>2021-09-01</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>';
    const parsed = parseText(ctf([PUPIL.replace(/<SENhistory>.*<\/SENhistory>/, history)]));
    expect(parsed.pupils[0]?.senProvision).toBe('E');
  });

  it('reads a pupil with only identity elements', () => {
    const parsed = parseText(
      ctf([
        '<Pupil><UPN>X801400121001</UPN><Surname>Smith</Surname><Forename>Amelia</Forename></Pupil>',
      ]),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.pupils[0]).toMatchObject({
      dateOfBirth: null,
      sex: null,
      ncYear: null,
      fsmPeriods: [],
      attendance: [],
      results: [],
      location: 'Pupil 1, line 10',
    });
  });

  it('reports surrounding spaces once per element', () => {
    const parsed = parseText(ctf([PUPIL.replace('<Surname>Smith', '<Surname> Smith ')]));
    expect(parsed.pupils[0]?.legalSurname).toBe('Smith');
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ severity: 'warning', field: 'Surname' });
  });

  it('warns about a file with no pupils', () => {
    const parsed = parseText(ctf([]));
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.severity).toBe('warning');
  });
});

describe('parseCtf bad values', () => {
  it.each([
    {
      find: '<DOB>2012-09-05',
      replace: '<DOB>2011-02-30',
      field: 'DOB',
      value: '2011-02-30',
      text: 'February 2011 has 28 days',
    },
    {
      find: '<DOB>2012-09-05',
      replace: '<DOB>05/09/2012',
      field: 'DOB',
      value: '05/09/2012',
      text: 'YYYY-MM-DD',
    },
    { find: '<Sex>F', replace: '<Sex>X', field: 'Sex', value: 'X', text: 'Use M or F' },
    {
      find: '<SENprovision>K',
      replace: '<SENprovision>Z',
      field: 'SENhistory/SEN/SENprovision',
      value: 'Z',
      text: 'Use N (no special provision)',
    },
    {
      find: '<NCyearActual>7',
      replace: '<NCyearActual>19',
      field: 'BasicDetails/NCyearActual',
      value: '19',
      text: 'Use R, 1 to 14',
    },
    {
      find: '<SessionsPossible>300',
      replace: '<SessionsPossible>3OO',
      field: 'Attendance/YearData/SessionsPossible',
      value: '3OO',
      text: 'not a whole number',
    },
    {
      find: '<Year>2024',
      replace: '<Year>24/25',
      field: 'Attendance/YearData/Year',
      value: '24/25',
      text: 'not an academic year',
    },
    {
      find: '<FSMstartDate>2022-09-04</FSMstartDate>',
      replace: '',
      field: 'FSMhistory/FSMinstance/FSMstartDate',
      value: null,
      text: 'has no start date',
    },
  ])('$field "$value" is an error', ({ find, replace, field, value, text }) => {
    const parsed = parseText(
      ctf([PUPIL, PUPIL.replace(find, replace).replace('X801400121001', 'L801400121002')]),
      'bad.xml',
    );
    const problems = errors(parsed);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'bad.xml', field, value });
    expect(problems[0]?.location).toMatch(/^Pupil 2, line \d+$/);
    expect(problems[0]?.message).toMatch(/^bad\.xml, Pupil 2, line \d+, /);
    expect(problems[0]?.message).toContain(text);
    expect(parsed.pupils).toHaveLength(2);
  });
});

describe('parseCtf unreadable files', () => {
  it.each([
    {
      name: 'CSV text',
      text: 'UPN,Surname\nX801400121001,Smith\n',
      location: 'line 1',
      message: 'The file is not XML: it starts with "UPN,Surname"',
    },
    {
      name: 'a wrong root',
      text: '<?xml version="1.0"?><CTFile></CTFile>',
      location: 'line 1',
      message: 'root element is <CTFile>, not <CTfile> (the CTF spells it with a lower-case "f"',
    },
    {
      name: 'an HTML page',
      text: '<html><body>Pupils</body></html>',
      location: 'line 1',
      message: 'root element is <html>',
    },
    {
      name: 'an unquoted attribute',
      text: '<CTfile>\n<Header>\n<SourceSchool id=1>',
      location: /^line 3, column \d+$/,
      message: 'The XML is not well formed here',
    },
    {
      name: 'an undeclared entity',
      text: ctf([PUPIL.replace('Smith', '&secret;')]),
      location: /^line \d+, column \d+$/,
      message: 'undefined entity',
    },
    {
      name: 'no header',
      text: '<CTfile><CTFpupilData></CTFpupilData></CTfile>',
      location: 'whole file',
      message: 'The file has no Header',
    },
    {
      name: 'no version',
      text: ctf().replace('<CTFversion>25.0</CTFversion>', ''),
      location: 'line 3',
      message: 'The Header has no CTFversion',
    },
    {
      name: 'a pupil before the header',
      text: `<CTfile><CTFpupilData>${PUPIL}</CTFpupilData><Header><CTFversion>25.0</CTFversion></Header></CTfile>`,
      location: /^line \d+$/,
      message: 'A Pupil comes before the Header',
    },
  ])('rejects $name', ({ text, location, message }) => {
    const parsed = parseText(text, 'u.xml');
    expect(parsed.pupils).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ severity: 'error', file: 'u.xml', location });
    expect(parsed.problems[0]?.message).toContain(message);
  });

  it('rejects invalid UTF-8 and names the line', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0"?>\n<CTfile>\n<Header>'),
      Buffer.from([0xeb]),
      Buffer.from('</Header></CTfile>'),
    ]);
    const parsed = parseCtf('u.xml', bytes);
    expect(parsed.problems[0]?.message).toContain('Line 3 contains bytes that are not valid UTF-8');
  });

  it('rejects a file over the size cap', () => {
    const parsed = parseCtf('big.xml', Buffer.from(ctf()), { maxBytes: 100 });
    expect(parsed.pupils).toEqual([]);
    expect(parsed.problems[0]?.message).toContain('over the 100 bytes limit');
  });
});

describe('parseCtf speed', () => {
  it('reads 2,000 pupils in under a second', () => {
    const pupils = Array.from({ length: 2000 }, (_, index) =>
      PUPIL.replace('X801400121001', `X8014001${String(index).padStart(5, '0')}`),
    );
    const content = Buffer.from(ctf(pupils));
    const started = performance.now();
    const parsed = parseCtf('big.xml', content);
    const elapsed = performance.now() - started;
    expect(parsed.pupils).toHaveLength(2000);
    expect(elapsed).toBeLessThan(1000);
  });
});
