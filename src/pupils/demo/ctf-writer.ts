/**
 * Writes a synthetic school as a Common Transfer File, version 25.0: a `Header`, then one
 * `Pupil` per pupil with the elements that need analysis reads. The file is addressed from the
 * school to itself, as a school's own export is, and leaves out empty elements as CTF writers
 * do. Contact details, addresses and school history are left out, so the file is marked partial.
 *
 * Attendance: a CTF `YearData` covers a whole academic year at one school and has no element
 * for a term, so a pupil's term records are added up into one `YearData`. The term records
 * travel in the termly attendance CSV instead (`writeTermlyAttendanceCsv`).
 */
import type { AttendanceRecord } from '../model.js';
import type { SyntheticPupil, SyntheticSchool } from './generate-school.js';

export const CTF_VERSION = '25.0';

/** Writes the school as CTF XML. */
export function writeSchoolCtf(school: SyntheticSchool): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<CTfile>'];
  writeHeader(lines, school);
  lines.push('  <CTFpupilData>');
  for (const pupil of school.pupils) writePupil(lines, school, pupil);
  lines.push('  </CTFpupilData>', '</CTfile>', '');
  return lines.join('\n');
}

function writeHeader(lines: string[], school: SyntheticSchool): void {
  lines.push(
    '  <Header>',
    element(4, 'DocumentName', 'Common Transfer File'),
    element(4, 'CTFversion', CTF_VERSION),
    // A fixed time near the end of the summer term keeps the file identical for the same seed.
    element(4, 'DateTime', `${school.academicYear + 1}-07-20T16:00:00`),
    element(4, 'DocumentQualifier', 'partial'),
    element(4, 'DataDescriptor', 'Synthetic demonstration data'),
    element(4, 'SupplierID', 'COMMISSIONER'),
    '    <SourceSchool>',
    element(6, 'LEA', school.la),
    element(6, 'Estab', school.estab),
    element(6, 'SchoolName', school.name),
    element(6, 'AcademicYear', String(school.academicYear)),
    '    </SourceSchool>',
    '    <DestSchool>',
    element(6, 'LEA', school.la),
    element(6, 'Estab', school.estab),
    '    </DestSchool>',
    '  </Header>',
  );
}

function writePupil(lines: string[], school: SyntheticSchool, pupil: SyntheticPupil): void {
  lines.push(
    '    <Pupil>',
    element(6, 'UPN', pupil.upn),
    element(6, 'Surname', pupil.legalSurname),
    element(6, 'Forename', pupil.legalForename),
  );
  optionalElement(lines, 6, 'DOB', pupil.dateOfBirth);
  lines.push(element(6, 'Sex', pupil.sex), '      <BasicDetails>');
  optionalElement(lines, 8, 'PreferredSurname', pupil.preferredSurname);
  optionalElement(lines, 8, 'PreferredForename', pupil.preferredForename);
  optionalElement(lines, 8, 'NCyearActual', pupil.ncYear);
  optionalElement(lines, 8, 'Ethnicity', pupil.ethnicity);
  if (pupil.ethnicity !== null) lines.push(element(8, 'EthnicitySource', pupil.ethnicitySource));
  if (pupil.firstLanguage !== null) {
    lines.push(
      '        <Languages>',
      element(10, 'Type', 'F'),
      element(10, 'Language', pupil.firstLanguage),
      '        </Languages>',
    );
  }
  lines.push('        <InCare>', element(10, 'InCare', pupil.inCare === true ? 'true' : 'false'));
  optionalElement(lines, 10, 'CareAuthority', pupil.careAuthority);
  lines.push('        </InCare>', '      </BasicDetails>');

  writeFsmHistory(lines, pupil);
  writeSenHistory(lines, pupil);
  writeAttendance(lines, school, pupil.attendance);
  writeAssessments(lines, pupil);
  lines.push('    </Pupil>');
}

function writeFsmHistory(lines: string[], pupil: SyntheticPupil): void {
  if (pupil.fsmPeriods.length === 0) return;
  lines.push('      <FSMhistory>');
  for (const period of pupil.fsmPeriods) {
    lines.push('        <FSMinstance>', element(10, 'FSMstartDate', period.start));
    optionalElement(lines, 10, 'FSMendDate', period.end);
    lines.push(element(10, 'UKcountry', 'ENG'), '        </FSMinstance>');
  }
  lines.push('      </FSMhistory>');
}

function writeSenHistory(lines: string[], pupil: SyntheticPupil): void {
  if (pupil.senProvision === null || pupil.senProvision === 'N') return;
  lines.push('      <SENhistory>', '        <SEN>');
  optionalElement(lines, 10, 'StartDate', pupil.senStartDate);
  lines.push(element(10, 'SENprovision', pupil.senProvision));
  if (pupil.senNeed !== null) {
    lines.push(
      '          <SENneeds>',
      '            <SENneed>',
      element(14, 'SENtype', pupil.senNeed),
      element(14, 'SENtypeRank', '1'),
      '            </SENneed>',
      '          </SENneeds>',
    );
  }
  lines.push('        </SEN>', '      </SENhistory>');
}

function writeAttendance(
  lines: string[],
  school: SyntheticSchool,
  records: readonly AttendanceRecord[],
): void {
  if (records.length === 0) return;
  const total = { possible: 0, attended: 0, authorised: 0, unauthorised: 0 };
  for (const record of records) {
    total.possible += record.possible;
    total.attended += record.attended;
    total.authorised += record.authorised;
    total.unauthorised += record.unauthorised;
  }
  lines.push(
    '      <Attendance>',
    '        <YearData>',
    element(10, 'Year', String(school.academicYear)),
    element(10, 'LEA', school.la),
    element(10, 'Estab', school.estab),
    element(10, 'SchoolName', school.name),
    element(10, 'SessionsPossible', String(total.possible)),
    element(10, 'SessionsAuthorised', String(total.authorised)),
    element(10, 'SessionsAttended', String(total.attended)),
    element(10, 'SessionsUnauthorised', String(total.unauthorised)),
    '        </YearData>',
    '      </Attendance>',
  );
}

function writeAssessments(lines: string[], pupil: SyntheticPupil): void {
  if (pupil.results.length === 0) return;
  lines.push('      <StageAssessments>');
  const stages = [...new Set(pupil.results.map((result) => result.stage))];
  for (const stage of stages) {
    lines.push('        <KeyStage>', element(10, 'Stage', stage));
    for (const result of pupil.results.filter((candidate) => candidate.stage === stage)) {
      lines.push('          <StageAssessment>', element(12, 'Locale', 'ENG'));
      optionalElement(lines, 12, 'Year', result.year === null ? null : String(result.year));
      lines.push(element(12, 'Subject', result.subject));
      optionalElement(lines, 12, 'Method', result.method);
      optionalElement(lines, 12, 'Component', result.component);
      lines.push(element(12, 'ResultStatus', 'F'));
      optionalElement(lines, 12, 'ResultQualifier', result.qualifier);
      lines.push(element(12, 'Result', result.result));
      optionalElement(lines, 12, 'ResultDate', result.resultDate);
      lines.push('          </StageAssessment>');
    }
    lines.push('        </KeyStage>');
  }
  lines.push('      </StageAssessments>');
}

const INDENTS = Array.from({ length: 16 }, (_, width) => ' '.repeat(width));

function element(indent: number, name: string, value: string): string {
  return `${INDENTS[indent] ?? ' '.repeat(indent)}<${name}>${escapeXml(value)}</${name}>`;
}

function optionalElement(
  lines: string[],
  indent: number,
  name: string,
  value: string | null,
): void {
  if (value !== null && value !== '') lines.push(element(indent, name, value));
}

/** Escapes text for element content. Apostrophes and quotes need no escape there. */
export function escapeXml(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
