import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeUpnCheckLetter } from '../../src/pupils/upn.js';

// The acceptance files are kept in a `shared` folder beside the repository, not inside it. A
// clone without that folder still runs the tests, on files generated below.
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const acceptanceFolder = join(dirname(repositoryRoot), 'shared', 'acceptance', 'foundation');

/** Returns the path of an acceptance file, or null when the folder is not next to this clone. */
export function acceptanceFile(name: string): string | null {
  const path = join(acceptanceFolder, name);
  return existsSync(path) ? path : null;
}

/** Reads an acceptance file, or returns `fallback` when the file is not there. */
export function readAcceptanceFile(name: string, fallback: Buffer): Buffer {
  const path = acceptanceFile(name);
  return path === null ? fallback : readFileSync(path);
}

/**
 * Facts about `generatedCtf()` that tests check. It has 12 pupils in year 7 of school 8014001
 * in 2024/25. The 6 with an open free school meal period each missed 40 of 300 sessions and the
 * 6 others missed 10, so every disadvantaged pupil is persistently absent and no other is.
 */
export const GENERATED_CTF_FACTS = {
  laestab: '8014001',
  academicYear: 2024,
  pupils: 12,
  disadvantagedPersistentAbsenceGap: 1,
} as const;

/** Builds a small CTF 25.0 file of made-up pupils, described by `GENERATED_CTF_FACTS`. */
export function generatedCtf(): Buffer {
  const pupils = Array.from({ length: GENERATED_CTF_FACTS.pupils }, (_, index) =>
    generatedPupil(index),
  ).join('\n');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
<Header>
<DocumentName>Common Transfer File</DocumentName>
<CTFversion>25.0</CTFversion>
<DateTime>2025-07-15T09:30:00</DateTime>
<DocumentQualifier>full</DocumentQualifier>
<SupplierID>TEST</SupplierID>
<SourceSchool><LEA>801</LEA><Estab>4001</Estab><SchoolName>Brookfield Academy</SchoolName><AcademicYear>2024</AcademicYear></SourceSchool>
<DestSchool><LEA>801</LEA><Estab>4001</Estab></DestSchool>
</Header>
<CTFpupilData>
${pupils}
</CTFpupilData>
</CTfile>
`,
    'utf8',
  );
}

function generatedPupil(index: number): string {
  const body = `80140012${String(index + 100).padStart(4, '0')}`;
  const upn = `${computeUpnCheckLetter(body)}${body}`;
  const disadvantaged = index < GENERATED_CTF_FACTS.pupils / 2;
  const missed = disadvantaged ? 40 : 10;
  const fsm = disadvantaged
    ? '<FSMhistory><FSMinstance><FSMstartDate>2023-09-04</FSMstartDate><UKcountry>ENG</UKcountry></FSMinstance></FSMhistory>'
    : '';
  return `<Pupil>
<UPN>${upn}</UPN>
<Surname>Pupil${index}</Surname>
<Forename>Test</Forename>
<DOB>2013-0${(index % 9) + 1}-15</DOB>
<Sex>${index % 2 === 0 ? 'F' : 'M'}</Sex>
<BasicDetails><NCyearActual>7</NCyearActual><Ethnicity>WBRI</Ethnicity><Languages><Type>F</Type><Language>ENG</Language></Languages><InCare><InCare>false</InCare></InCare></BasicDetails>
${fsm}
<Attendance><YearData><Year>2024</Year><LEA>801</LEA><Estab>4001</Estab><SessionsPossible>300</SessionsPossible><SessionsAuthorised>${missed}</SessionsAuthorised><SessionsAttended>${300 - missed}</SessionsAttended><SessionsUnauthorised>0</SessionsUnauthorised></YearData></Attendance>
</Pupil>`;
}
