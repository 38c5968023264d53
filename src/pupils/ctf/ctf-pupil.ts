/**
 * One `Pupil` element of a Common Transfer File, read into an `ImportedPupil`. Element names and
 * codes follow the DfE "Common transfer file specification"; writers leave out empty elements,
 * so every element below `Pupil` may be missing.
 */
import type {
  AssessmentResult,
  AttendanceRecord,
  FsmPeriod,
  ImportedPupil,
  SenProvision,
} from '../model.js';
import { WhitespaceTally } from '../tabular/row-reader.js';
import { parseIsoDate } from '../tabular/uk-date.js';
import { checkUpn } from '../upn.js';
import {
  readEthnicity,
  readFlag,
  readLanguage,
  readNcYear,
  readSenProvision,
  readSex,
  readWholeNumber,
  type ProblemList,
  type Reading,
} from '../validate-pupils.js';
import { childElement, childElements, descendant, type XmlNode } from './xml-stream.js';

export interface CtfPupilContext {
  problems: ProblemList;
  whitespace: WhitespaceTally;
  /** The header's academic year, used for attendance whose `YearData` has no `Year`. */
  academicYear: number | null;
}

/** Reads leaf elements of one pupil, recording problems with the pupil's position and the element's line. */
class PupilElements {
  private readonly tallied = new WeakSet<XmlNode>();

  constructor(
    readonly pupil: XmlNode,
    readonly position: number,
    private readonly context: CtfPupilContext,
  ) {}

  place(
    node: XmlNode,
    path: string,
    value: string | null,
  ): { location: string; field: string; value: string | null } {
    return { location: `Pupil ${this.position}, line ${node.line}`, field: path, value };
  }

  /** Returns an element's text without surrounding spaces, or null when it is missing or empty. */
  text(node: XmlNode | undefined, path: string): string | null {
    if (node === undefined) {
      return null;
    }
    const trimmed = node.text.trim();
    if (trimmed !== node.text && trimmed !== '' && !this.tallied.has(node)) {
      this.tallied.add(node);
      this.context.whitespace.record(path, `Pupil ${this.position}, line ${node.line}`);
    }
    return trimmed === '' ? null : trimmed;
  }

  /** Reads an element with `read`; an unreadable value is an error and gives null. */
  read<T>(node: XmlNode | undefined, path: string, read: (text: string) => Reading<T>): T | null {
    const text = this.text(node, path);
    if (node === undefined || text === null) {
      return null;
    }
    const reading = read(text);
    if (!reading.ok) {
      this.context.problems.error(this.place(node, path, text), reading.message);
      return null;
    }
    if (reading.warning !== undefined) {
      this.context.problems.warning(this.place(node, path, text), reading.warning);
    }
    return reading.value;
  }

  date(node: XmlNode | undefined, path: string): string | null {
    return this.read(node, path, (text) => {
      const reading = parseIsoDate(text);
      return reading.ok ? { ok: true, value: reading.iso } : reading;
    });
  }

  at(path: string): XmlNode | undefined {
    return descendant(this.pupil, path.split('/'));
  }

  error(node: XmlNode, path: string, value: string | null, detail: string): void {
    this.context.problems.error(this.place(node, path, value), detail);
  }

  warning(node: XmlNode, path: string, value: string | null, detail: string): void {
    this.context.problems.warning(this.place(node, path, value), detail);
  }

  get academicYear(): number | null {
    return this.context.academicYear;
  }
}

/** Reads one pupil; `position` counts pupils from 1 in file order. Values that cannot be read are reported and left null. */
export function readCtfPupil(
  node: XmlNode,
  position: number,
  context: CtfPupilContext,
): ImportedPupil {
  const elements = new PupilElements(node, position, context);
  const upn = elements.text(elements.at('UPN'), 'UPN') ?? '';
  const sexNode = elements.at('Sex') ?? elements.at('Gender');

  return {
    upn,
    upnTemporary: checkUpn(upn).temporary,
    legalSurname: elements.text(elements.at('Surname'), 'Surname') ?? '',
    legalForename: elements.text(elements.at('Forename'), 'Forename') ?? '',
    preferredSurname: elements.text(
      elements.at('BasicDetails/PreferredSurname'),
      'BasicDetails/PreferredSurname',
    ),
    preferredForename: elements.text(
      elements.at('BasicDetails/PreferredForename'),
      'BasicDetails/PreferredForename',
    ),
    dateOfBirth: elements.date(elements.at('DOB'), 'DOB'),
    sex: elements.read(sexNode, sexNode?.name ?? 'Sex', readSex),
    ncYear: elements.read(
      elements.at('BasicDetails/NCyearActual'),
      'BasicDetails/NCyearActual',
      readNcYear,
    ),
    ethnicity: elements.read(
      elements.at('BasicDetails/Ethnicity'),
      'BasicDetails/Ethnicity',
      readEthnicity,
    ),
    firstLanguage: readFirstLanguage(elements),
    eal: null,
    senProvision: readLatestSenProvision(elements),
    inCare: elements.read(
      elements.at('BasicDetails/InCare/InCare'),
      'BasicDetails/InCare/InCare',
      readFlag,
    ),
    previouslyLookedAfter: null,
    serviceChild: null,
    fsmPeriods: readFsmPeriods(elements),
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: readAttendance(elements),
    exclusions: [],
    results: readResults(elements),
    location: `Pupil ${position}, line ${node.line}`,
  };
}

/** Reads the language whose `Type` is F (first language); each `Language` pairs with the `Type` before it. */
function readFirstLanguage(elements: PupilElements): string | null {
  const basic = elements.at('BasicDetails');
  for (const languages of basic === undefined ? [] : childElements(basic, 'Languages')) {
    let type: string | null = null;
    for (const child of languages.children) {
      if (child.name === 'Type') {
        type = elements.text(child, 'BasicDetails/Languages/Type');
      } else if (child.name === 'Language' && type === 'F') {
        return elements.read(child, 'BasicDetails/Languages/Language', readLanguage);
      }
    }
  }
  return null;
}

/** Reads every `SEN` entry and returns the provision of the one with the latest `StartDate` (the last such in the file on a tie). */
function readLatestSenProvision(elements: PupilElements): SenProvision | null {
  const history = elements.at('SENhistory');
  let latest: { start: string; provision: SenProvision } | null = null;
  for (const sen of history === undefined ? [] : childElements(history, 'SEN')) {
    const start = elements.date(childElement(sen, 'StartDate'), 'SENhistory/SEN/StartDate') ?? '';
    const provision = elements.read(
      childElement(sen, 'SENprovision'),
      'SENhistory/SEN/SENprovision',
      readSenProvision,
    );
    if (provision !== null && (latest === null || start >= latest.start)) {
      latest = { start, provision };
    }
  }
  return latest?.provision ?? null;
}

function readFsmPeriods(elements: PupilElements): FsmPeriod[] {
  const history = elements.at('FSMhistory');
  const periods: FsmPeriod[] = [];
  for (const instance of history === undefined ? [] : childElements(history, 'FSMinstance')) {
    const startNode = childElement(instance, 'FSMstartDate');
    if (elements.text(startNode, 'FSMhistory/FSMinstance/FSMstartDate') === null) {
      elements.error(
        instance,
        'FSMhistory/FSMinstance/FSMstartDate',
        null,
        'This free school meal period has no start date. Export the file again; if it persists, correct the FSM history in your MIS.',
      );
    }
    const start = elements.date(startNode, 'FSMhistory/FSMinstance/FSMstartDate');
    const end = elements.date(
      childElement(instance, 'FSMendDate'),
      'FSMhistory/FSMinstance/FSMendDate',
    );
    if (start !== null) {
      periods.push({ start, end });
    }
  }
  return periods;
}

type SessionElement =
  'SessionsPossible' | 'SessionsAttended' | 'SessionsAuthorised' | 'SessionsUnauthorised';
const SESSION_ELEMENTS: readonly SessionElement[] = [
  'SessionsPossible',
  'SessionsAttended',
  'SessionsAuthorised',
  'SessionsUnauthorised',
];

function readAttendance(elements: PupilElements): AttendanceRecord[] {
  const attendance = elements.at('Attendance');
  const records: AttendanceRecord[] = [];
  for (const yearData of attendance === undefined ? [] : childElements(attendance, 'YearData')) {
    const record = readYearData(elements, yearData);
    if (record !== null) {
      records.push(record);
    }
  }
  return records;
}

/**
 * Reads one `YearData`. When exactly one session count is missing it is worked out from the
 * other three (possible = attended + authorised + unauthorised), with a warning; with more
 * missing, the figures are not imported, with a warning.
 */
function readYearData(elements: PupilElements, yearData: XmlNode): AttendanceRecord | null {
  const academicYear = readAttendanceYear(elements, yearData);
  const counts = new Map<SessionElement, number>();
  const missing: SessionElement[] = [];
  let unreadable = false;
  for (const name of SESSION_ELEMENTS) {
    const node = childElement(yearData, name);
    const path = `Attendance/YearData/${name}`;
    if (elements.text(node, path) === null) {
      missing.push(name);
      continue;
    }
    const count = elements.read(node, path, readWholeNumber);
    if (count === null) {
      unreadable = true;
    } else {
      counts.set(name, count);
    }
  }
  if (unreadable || academicYear === null) {
    return null;
  }
  if (missing.length > 1) {
    elements.warning(
      yearData,
      'Attendance/YearData',
      null,
      `These attendance figures leave out ${missing.join(', ')}, so they were not imported. Export the CTF again with full attendance.`,
    );
    return null;
  }
  const derived = missing[0];
  if (derived !== undefined) {
    counts.set(derived, deriveSessions(derived, counts));
    elements.warning(
      yearData,
      `Attendance/YearData/${derived}`,
      null,
      `${derived} is missing, so it was worked out as possible = attended + authorised + unauthorised (${counts.get(derived)}).`,
    );
  }

  const la = childElement(yearData, 'LEA')?.text.trim() ?? '';
  const establishment = childElement(yearData, 'Estab')?.text.trim() ?? '';
  return {
    academicYear,
    period: 'year',
    schoolLaestab:
      /^\d{3}$/.test(la) && /^\d{4}$/.test(establishment) ? `${la}${establishment}` : null,
    possible: counts.get('SessionsPossible') ?? 0,
    attended: counts.get('SessionsAttended') ?? 0,
    authorised: counts.get('SessionsAuthorised') ?? 0,
    unauthorised: counts.get('SessionsUnauthorised') ?? 0,
  };
}

function readAttendanceYear(elements: PupilElements, yearData: XmlNode): number | null {
  const yearNode = childElement(yearData, 'Year');
  const text = elements.text(yearNode, 'Attendance/YearData/Year');
  if (text === null) {
    if (elements.academicYear === null) {
      elements.error(
        yearData,
        'Attendance/YearData/Year',
        null,
        'These attendance figures have no Year and the Header has no AcademicYear, so their year is unknown. Export the CTF again.',
      );
    }
    return elements.academicYear;
  }
  if (!/^\d{4}$/.test(text)) {
    elements.error(
      yearNode ?? yearData,
      'Attendance/YearData/Year',
      text,
      `"${text}" is not an academic year (its four-digit start year, such as 2024). Export the CTF again.`,
    );
    return null;
  }
  return Number(text);
}

function deriveSessions(missing: SessionElement, counts: Map<SessionElement, number>): number {
  const get = (name: SessionElement): number => counts.get(name) ?? 0;
  if (missing === 'SessionsPossible') {
    return get('SessionsAttended') + get('SessionsAuthorised') + get('SessionsUnauthorised');
  }
  const others = SESSION_ELEMENTS.filter((name) => name !== missing && name !== 'SessionsPossible');
  return get('SessionsPossible') - others.reduce((total, name) => total + get(name), 0);
}

/** Reads each `StageAssessment` under `StageAssessments/KeyStage`; one without a Subject or Result is skipped with a warning. */
function readResults(elements: PupilElements): AssessmentResult[] {
  const container = elements.at('StageAssessments');
  const results: AssessmentResult[] = [];
  for (const keyStage of container === undefined ? [] : childElements(container, 'KeyStage')) {
    const stage = elements.text(childElement(keyStage, 'Stage'), 'StageAssessments/KeyStage/Stage');
    for (const assessment of childElements(keyStage, 'StageAssessment')) {
      const result = readAssessment(elements, assessment, stage);
      if (result !== null) {
        results.push(result);
      }
    }
  }
  return results;
}

function readAssessment(
  elements: PupilElements,
  assessment: XmlNode,
  stage: string | null,
): AssessmentResult | null {
  const path = 'StageAssessments/KeyStage/StageAssessment';
  const field = (name: string): string | null =>
    elements.text(childElement(assessment, name), `${path}/${name}`);
  const subject = field('Subject');
  const result = field('Result');
  if (stage === null || subject === null || result === null) {
    const absent = [
      stage === null ? 'Stage' : null,
      subject === null ? 'Subject' : null,
      result === null ? 'Result' : null,
    ].filter((name) => name !== null);
    elements.warning(
      assessment,
      path,
      null,
      `This assessment has no ${absent.join(' or ')}, so it was not imported.`,
    );
    return null;
  }
  const yearText = field('Year');
  const year = yearText !== null && /^\d{4}$/.test(yearText) ? Number(yearText) : null;
  if (yearText !== null && year === null) {
    elements.warning(
      assessment,
      `${path}/Year`,
      yearText,
      `"${yearText}" is not a four-digit year, so the result is imported without its year.`,
    );
  }
  return {
    stage,
    subject,
    component: field('Component'),
    method: field('Method'),
    qualifier: field('ResultQualifier'),
    result,
    resultDate: elements.date(childElement(assessment, 'ResultDate'), `${path}/ResultDate`),
    year,
  };
}
