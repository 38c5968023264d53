/**
 * The `Header` of a Common Transfer File: CTF version, source and destination schools and the
 * academic year, as described in the DfE "Common transfer file specification".
 */
import type { SchoolIdentity } from '../model.js';
import type { ProblemList } from '../validate-pupils.js';
import { childElement, CtfFileError, descendant, type XmlNode } from './xml-stream.js';

/** Oldest and newest CTF versions read, inclusive. A new version starts each September. */
export const SUPPORTED_CTF_VERSIONS = { oldest: 23, newest: 26 } as const;

export interface CtfHeader {
  version: string;
  academicYear: number | null;
  sourceSchool: SchoolIdentity | null;
  destinationSchool: SchoolIdentity | null;
}

/**
 * Reads the header. School numbers or an academic year that cannot be read are warnings and
 * left null, because the pupils can still be read.
 *
 * @throws CtfFileError when `CTFversion` is missing or outside `SUPPORTED_CTF_VERSIONS`; the
 *   message states the version read.
 */
export function readCtfHeader(node: XmlNode, problems: ProblemList): CtfHeader {
  const versionNode = childElement(node, 'CTFversion');
  const version = versionNode?.text.trim() ?? '';
  checkVersion(version, versionNode?.line ?? node.line);

  return {
    version,
    academicYear: readAcademicYear(node, problems),
    sourceSchool: readSchool(node, 'SourceSchool', problems),
    destinationSchool: readSchool(node, 'DestSchool', problems),
  };
}

/** Returns true for a version such as `25.0` within `SUPPORTED_CTF_VERSIONS`. */
export function isSupportedCtfVersion(version: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(version)) {
    return false;
  }
  const number = Number(version);
  return number >= SUPPORTED_CTF_VERSIONS.oldest && number <= SUPPORTED_CTF_VERSIONS.newest;
}

function checkVersion(version: string, line: number): void {
  const { oldest, newest } = SUPPORTED_CTF_VERSIONS;
  if (version === '') {
    throw new CtfFileError(
      `The Header has no CTFversion, so the file cannot be read safely. Export the CTF again from your MIS.`,
      line,
    );
  }
  if (!isSupportedCtfVersion(version)) {
    throw new CtfFileError(
      `The file is CTF version ${version}, but this app reads versions ${oldest}.0 to ${newest}.0. Export the file again from an up-to-date MIS.`,
      line,
    );
  }
}

function readAcademicYear(header: XmlNode, problems: ProblemList): number | null {
  const node = descendant(header, ['SourceSchool', 'AcademicYear']);
  if (node === undefined) {
    return null;
  }
  const text = node.text.trim();
  if (!/^\d{4}$/.test(text)) {
    problems.warning(
      { location: `Header, line ${node.line}`, field: 'SourceSchool/AcademicYear', value: text },
      `"${text}" is not an academic year (its four-digit start year, such as 2024). Choose the academic year when you import.`,
    );
    return null;
  }
  return Number(text);
}

/** Reads `LEA` and `Estab` as a laestab: the 3-digit LA number followed by the 4-digit establishment number. */
function readSchool(
  header: XmlNode,
  element: 'SourceSchool' | 'DestSchool',
  problems: ProblemList,
): SchoolIdentity | null {
  const school = childElement(header, element);
  if (school === undefined) {
    return null;
  }
  const la = childElement(school, 'LEA')?.text.trim() ?? '';
  const establishment = childElement(school, 'Estab')?.text.trim() ?? '';
  const name = childElement(school, 'SchoolName')?.text.trim() || null;
  if (!/^\d{3}$/.test(la) || !/^\d{4}$/.test(establishment)) {
    problems.warning(
      {
        location: `Header, line ${school.line}`,
        field: `${element}/LEA and Estab`,
        value: `${la} ${establishment}`.trim(),
      },
      `The ${element === 'SourceSchool' ? 'source' : 'destination'} school's numbers ("${la}" and "${establishment}") are not a 3-digit LA number and a 4-digit establishment number, so the school is not shown. Check the file came from your MIS unchanged.`,
    );
    return null;
  }
  return { laestab: `${la}${establishment}`, name };
}
