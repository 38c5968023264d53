/**
 * Entry point for pupil file imports: works out the format from the file's bytes, reads it with
 * the CTF, CSV or XLSX parser, and runs the checks shared by all formats. Pure: no database.
 */
import { CTF_FIELD_LABELS, parseCtf } from './ctf/parse-ctf.js';
import type { ImportFormat, ParsedImport } from './model.js';
import { parseCsv } from './tabular/csv.js';
import { detectByteOrderMark } from './tabular/encoding.js';
import { formatAcademicYear } from './tabular/uk-date.js';
import { parseXlsx } from './tabular/xlsx.js';
import { looksLikeZip } from './tabular/zip-guard.js';
import {
  formatFileSize,
  ProblemList,
  validatePupils,
  type CheckedField,
} from './validate-pupils.js';

export interface ParseImportOptions {
  /** Academic year (start year) a CSV or XLSX file describes; a CTF states its own. */
  academicYear?: number;
  /** Header name to field name (or null for "not used") for CSV and XLSX files. */
  mapping?: Record<string, string | null>;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** The date "today" for checks on dates of birth; defaults to the current date. */
  today?: Date;
}

export type SniffResult =
  | { ok: true; format: ImportFormat; note: string | null }
  | { ok: false; format: ImportFormat; message: string };

/** How many bytes at the start are inspected to recognise a format. */
const SNIFF_BYTES = 4096;

const FORMAT_BY_EXTENSION: Record<string, ImportFormat> = { xml: 'ctf', xlsx: 'xlsx' };

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SAVE_AS_SUPPORTED =
  'Upload a Common Transfer File (.xml), an Excel workbook (.xlsx) or a CSV file.';

/**
 * Reads an import file. Never throws for bad content: every fault is an `ImportProblem`. A file
 * that cannot be read at all (too large, unknown format, broken) gives one error, no pupils
 * and `columns: null`; a CSV or XLSX whose columns need mapping gives `columns` and no pupils.
 */
export async function parseImportFile(
  fileName: string,
  content: Buffer,
  options: ParseImportOptions,
): Promise<ParsedImport> {
  const sniffed = sniffFormat(content, fileName);
  if (content.length > options.maxBytes) {
    return unreadable(
      fileName,
      sniffed.format,
      describeOversize(content.length, options.maxBytes, sniffed.format),
    );
  }
  if (!sniffed.ok) {
    return unreadable(fileName, sniffed.format, sniffed.message);
  }

  const parsed = await runParser(fileName, content, sniffed.format, options);
  if (sniffed.note !== null) {
    parsed.problems.unshift(...notice(fileName, sniffed.note));
  }
  if (parsed.pupils.length === 0) {
    return parsed;
  }

  if (parsed.format === 'ctf') {
    parsed.problems.push(...compareAcademicYear(parsed, options.academicYear));
  }
  const checks = validatePupils(fileName, parsed.pupils, {
    today: options.today,
    requireNames: parsed.contents !== 'exclusions',
    fieldLabels: parsed.format === 'ctf' ? CTF_FIELD_LABELS : labelsFromColumns(parsed),
  });
  parsed.problems.push(...checks);
  return parsed;
}

/**
 * Recognises the format from the content: XML containing `<CTfile` is a CTF, a zip is an XLSX,
 * other text is CSV. The extension only improves messages. Rejects old binary Excel files,
 * PDFs, web pages and other binary files, with a message saying what to upload instead.
 */
export function sniffFormat(content: Buffer, fileName: string): SniffResult {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const guess = FORMAT_BY_EXTENSION[extension] ?? 'csv';

  if (looksLikeZip(content)) {
    return { ok: true, format: 'xlsx', note: null };
  }
  if (OLE_SIGNATURE.every((byte, index) => content[index] === byte)) {
    return {
      ok: false,
      format: guess,
      message:
        'The file is an old-style Excel workbook (.xls) or a password-protected workbook. Open it in Excel, remove any password, and save it as an Excel workbook (.xlsx) or as CSV UTF-8.',
    };
  }
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') {
    return {
      ok: false,
      format: guess,
      message: `The file is a PDF, which cannot be read as data. ${SAVE_AS_SUPPORTED}`,
    };
  }

  const start = readStartAsText(content);
  if (start.trimStart().startsWith('<')) {
    return sniffMarkup(start, guess);
  }
  if (guess === 'ctf') {
    return { ok: true, format: 'ctf', note: null };
  }
  if (detectByteOrderMark(content) === null && content.subarray(0, SNIFF_BYTES).includes(0)) {
    const named =
      extension === ''
        ? ''
        : ` It is named .${extension}, but its content is not a workbook or text.`;
    return {
      ok: false,
      format: guess,
      message: `The file is not a pupil list in a format this app reads.${named} ${SAVE_AS_SUPPORTED}`,
    };
  }
  const note =
    guess === 'xlsx'
      ? `The file is named .${extension} but contains text, not an Excel workbook, so it was read as CSV.`
      : null;
  return { ok: true, format: 'csv', note };
}

function sniffMarkup(start: string, guess: ImportFormat): SniffResult {
  if (start.includes('<CTfile')) {
    return { ok: true, format: 'ctf', note: null };
  }
  if (/<(html|table)[\s>]/i.test(start)) {
    return {
      ok: false,
      format: guess,
      message:
        'The file is a web page (HTML), which some systems save with an .xls name. Open it in Excel and save it as an Excel workbook (.xlsx) or as CSV UTF-8.',
    };
  }
  return { ok: true, format: 'ctf', note: null };
}

/** Decodes the first bytes for format checks: as UTF-16 when a byte order mark names it, else as Latin-1. */
function readStartAsText(content: Buffer): string {
  const mark = detectByteOrderMark(content);
  const head = content.subarray(mark?.length ?? 0, SNIFF_BYTES);
  if (mark?.encoding === 'UTF-16 LE') {
    return head.toString('utf16le');
  }
  if (mark?.encoding === 'UTF-16 BE') {
    return Buffer.from(head).swap16().toString('utf16le');
  }
  return head.toString('latin1');
}

async function runParser(
  fileName: string,
  content: Buffer,
  format: ImportFormat,
  options: ParseImportOptions,
): Promise<ParsedImport> {
  const tabularOptions = { academicYear: options.academicYear, mapping: options.mapping };
  if (format === 'ctf') {
    return parseCtf(fileName, content, { maxBytes: options.maxBytes });
  }
  if (format === 'xlsx') {
    return parseXlsx(fileName, content, tabularOptions);
  }
  return parseCsv(fileName, content, tabularOptions);
}

/** Warns when a CTF describes another academic year than the one the user chose. */
function compareAcademicYear(
  parsed: ParsedImport,
  chosen: number | undefined,
): ProblemList['items'] {
  const problems = new ProblemList(parsed.fileName);
  if (chosen !== undefined && parsed.academicYear !== null && parsed.academicYear !== chosen) {
    problems.warning(
      {
        location: 'Header',
        field: 'SourceSchool/AcademicYear',
        value: String(parsed.academicYear),
      },
      `The file describes ${formatAcademicYear(parsed.academicYear)}, not ${formatAcademicYear(chosen)} as chosen; the file's year is used.`,
    );
  }
  return problems.items;
}

/** Returns, for each field `validatePupils` reports on, the header of the column that fills it. */
function labelsFromColumns(parsed: ParsedImport): Partial<Record<CheckedField, string>> {
  const labels: Partial<Record<CheckedField, string>> = {};
  for (const [header, field] of Object.entries(parsed.columns?.fields ?? {})) {
    if (field !== null) {
      labels[field as CheckedField] = header;
    }
  }
  return labels;
}

function notice(fileName: string, message: string): ProblemList['items'] {
  const problems = new ProblemList(fileName);
  problems.warning({ location: 'whole file', field: null, value: null }, message);
  return problems.items;
}

function unreadable(fileName: string, format: ImportFormat, message: string): ParsedImport {
  const problems = new ProblemList(fileName);
  problems.error({ location: 'whole file', field: null, value: null }, message);
  return {
    format,
    fileName,
    ctfVersion: null,
    academicYear: null,
    sourceSchool: null,
    destinationSchool: null,
    pupils: [],
    problems: problems.items,
    columns: null,
  };
}

/** Advice for a file over the size limit, by format: only a workbook can be saved as a smaller CSV. */
const OVERSIZE_ADVICE: Readonly<Record<ImportFormat, string>> = {
  csv: 'Export fewer pupils or fewer columns.',
  xlsx: 'Export fewer pupils or fewer columns, or save the workbook as CSV, which is smaller.',
  ctf: 'Export the CTF again for fewer pupils, for example one year group at a time.',
};

function describeOversize(size: number, limit: number, format: ImportFormat): string {
  const sameWhenRounded = formatFileSize(size) === formatFileSize(limit);
  const sizeText = sameWhenRounded ? `${size.toLocaleString('en-GB')} bytes` : formatFileSize(size);
  const limitText = sameWhenRounded
    ? `${formatFileSize(limit)} (${limit.toLocaleString('en-GB')} bytes)`
    : formatFileSize(limit);
  return `The file is ${sizeText}, over the ${limitText} limit for uploads. ${OVERSIZE_ADVICE[format]}`;
}
