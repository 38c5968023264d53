/**
 * Common Transfer File (CTF) import: the DfE's XML format for moving pupil records between
 * schools, read with the streaming saxes parser.
 *
 * Contract: `parseCtf` never throws for bad content. A file that cannot be read as a CTF (empty,
 * too large, not XML, malformed or cut short, with a DOCTYPE, with a root other than `CTfile`,
 * or of an unsupported CTF version) gives exactly one error problem and no pupils. Otherwise
 * every pupil is returned, with a problem for each value that could not be read; whole-record
 * checks (UPN, duplicates, dates of birth, attendance totals) are `validatePupils`' job.
 */
import type { ImportedPupil, ParsedImport } from '../model.js';
import { WhitespaceTally } from '../tabular/row-reader.js';
import { formatFileSize, ProblemList, type CheckedField } from '../validate-pupils.js';
import { readCtfHeader, type CtfHeader } from './ctf-header.js';
import { readCtfPupil } from './ctf-pupil.js';
import { decodeXmlBytes } from './decode-xml.js';
import { CtfFileError, streamCtf, type XmlNode } from './xml-stream.js';

export { SUPPORTED_CTF_VERSIONS, isSupportedCtfVersion } from './ctf-header.js';

export interface CtfOptions {
  /** Largest file accepted, in bytes; the upload limit is normally enforced before this. */
  maxBytes?: number;
}

/**
 * Size cap applied when the caller gives none. A 2,000-pupil CTF with attendance and results
 * is about 3 MB, so 50 MB leaves ample room while bounding memory.
 */
export const DEFAULT_CTF_MAX_BYTES = 50 * 1024 * 1024;

/** CTF element names for the fields `validatePupils` reports on. */
export const CTF_FIELD_LABELS: Record<CheckedField, string> = {
  upn: 'UPN',
  legalSurname: 'Surname',
  legalForename: 'Forename',
  dateOfBirth: 'DOB',
  sessionsPossible: 'Attendance/YearData/SessionsPossible',
  sessionsAttended: 'Attendance/YearData/SessionsAttended',
  sessionsAuthorised: 'Attendance/YearData/SessionsAuthorised',
  sessionsUnauthorised: 'Attendance/YearData/SessionsUnauthorised',
  exclusionSessionsLost: 'sessions lost',
  fsmPeriod: 'FSMhistory/FSMinstance',
};

/**
 * Pupil fields a CTF states in full: an absent element means the pupil has no value. The CTF
 * has no previously-looked-after or service-child flag, and it gives FSM as a history and EAL
 * as a first language, so values of those fields loaded from other files are kept.
 */
const CTF_PROVIDED_FIELDS = [
  'upn',
  'legalSurname',
  'legalForename',
  'preferredSurname',
  'preferredForename',
  'dateOfBirth',
  'sex',
  'ncYear',
  'ethnicity',
  'firstLanguage',
  'senProvision',
  'inCare',
] as const;

/** Reads a CTF file's header and pupils; see the module comment for what it returns on bad input. */
export function parseCtf(
  fileName: string,
  content: Buffer,
  options: CtfOptions = {},
): ParsedImport {
  const problems = new ProblemList(fileName);
  const result: ParsedImport = {
    format: 'ctf',
    fileName,
    ctfVersion: null,
    academicYear: null,
    sourceSchool: null,
    destinationSchool: null,
    pupils: [],
    problems: problems.items,
    columns: null,
    providedFields: [...CTF_PROVIDED_FIELDS],
  };

  try {
    const header = readFile(
      content,
      options.maxBytes ?? DEFAULT_CTF_MAX_BYTES,
      problems,
      result.pupils,
      (version) => {
        result.ctfVersion = version;
      },
    );
    result.academicYear = header.academicYear;
    result.sourceSchool = header.sourceSchool;
    result.destinationSchool = header.destinationSchool;
  } catch (error) {
    if (!(error instanceof CtfFileError)) {
      throw error;
    }
    const failed = new ProblemList(fileName);
    failed.error({ location: describePosition(error), field: null, value: null }, error.message);
    return { ...result, pupils: [], problems: failed.items };
  }

  if (result.pupils.length === 0) {
    problems.warning(
      { location: 'CTFpupilData', field: null, value: null },
      'The file contains no Pupil records, so there is nothing to import. Check that the MIS exported the pupils you chose.',
    );
  }
  return result;
}

function describePosition(error: CtfFileError): string {
  if (error.line === null) {
    return 'whole file';
  }
  return error.column === null
    ? `line ${error.line}`
    : `line ${error.line}, column ${error.column}`;
}

/**
 * Checks, decodes and streams the file, appending each pupil to `pupils`.
 *
 * @throws CtfFileError for any fault that makes the whole file unreadable.
 */
function readFile(
  content: Buffer,
  maxBytes: number,
  problems: ProblemList,
  pupils: ImportedPupil[],
  onVersion: (version: string) => void,
): CtfHeader {
  checkSize(content, maxBytes);
  const decoded = decodeXmlBytes(content);
  if (!decoded.ok) {
    throw new CtfFileError(decoded.message);
  }
  checkStartsLikeXml(decoded.text);

  const whitespace = new WhitespaceTally('element');
  let header: CtfHeader | null = null;
  streamCtf(decoded.text, {
    header(node: XmlNode) {
      if (header !== null) {
        throw new CtfFileError(
          'The file has a second Header, so it is not a single CTF. Export the CTF again from your MIS.',
          node.line,
        );
      }
      const version = node.children.find((child) => child.name === 'CTFversion')?.text.trim();
      if (version !== undefined) {
        onVersion(version);
      }
      header = readCtfHeader(node, problems);
    },
    pupil(node: XmlNode) {
      if (header === null) {
        throw new CtfFileError(
          'A Pupil comes before the Header, so the CTF version is unknown. Export the CTF again from your MIS.',
          node.line,
        );
      }
      pupils.push(
        readCtfPupil(node, pupils.length + 1, {
          problems,
          whitespace,
          academicYear: header.academicYear,
        }),
      );
    },
  });

  if (header === null) {
    throw new CtfFileError(
      'The file has no Header, so its CTF version and school are unknown. Export the CTF again from your MIS.',
    );
  }
  whitespace.report(problems);
  return header;
}

function checkSize(content: Buffer, maxBytes: number): void {
  if (content.length === 0) {
    throw new CtfFileError(
      'The file is empty (0 bytes). Export the CTF again from your MIS and upload the new file.',
    );
  }
  if (content.length > maxBytes) {
    throw new CtfFileError(
      `The file is ${formatFileSize(content.length)}, over the ${formatFileSize(maxBytes)} limit for a CTF. Export fewer pupils at a time.`,
    );
  }
}

function checkStartsLikeXml(text: string): void {
  const start = text.trimStart();
  if (!start.startsWith('<')) {
    const preview = start.slice(0, 40).split(/\r?\n/)[0] ?? '';
    throw new CtfFileError(
      `The file is not XML: it starts with "${preview}". Upload the .xml Common Transfer File your MIS exported.`,
      1,
    );
  }
}
