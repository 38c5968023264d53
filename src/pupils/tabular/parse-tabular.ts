/**
 * Turns a table read from a CSV or XLSX file into a `ParsedImport`. It finds the header row,
 * maps columns to fields and reads each row. Where a file lists pupils more than once on
 * purpose, it joins the rows of one pupil.
 */
import type { ImportedPupil, ParsedImport, ImportProblem } from '../model.js';
import { normaliseKey, ProblemList } from '../validate-pupils.js';
import {
  EXCLUSION_FIELD_LABELS,
  PUPIL_FIELD_LABELS,
  PUPIL_HEADER_ALIASES,
  nameColumns,
  resolveColumns,
  columnLetter,
  type ResolvedColumns,
} from './columns.js';
import { mergeRowsByUpn } from './merge-rows.js';
import { readExclusionRow } from './read-exclusion-rows.js';
import { planAttendanceColumns, readPupilRow } from './read-pupil-rows.js';
import { RowReader, WhitespaceTally } from './row-reader.js';
import { cellText, isBlankRow, type Table, type TableRow } from './table.js';

export interface TabularOptions {
  /**
   * Academic year (start year) the file describes; required, because a CSV or XLSX export does
   * not say it. Each exclusion still takes its own academic year from its start date.
   */
  academicYear?: number;
  /** Header name to field name (or null for "not used"), overriding the recognised headers. */
  mapping?: Record<string, string | null>;
}

/** How many rows at the top of a file are searched for the header row. */
const HEADER_SEARCH_ROWS = 10;

const WHOLE_FILE = { location: 'whole file', field: null, value: null };

/** Builds the `ParsedImport` of a file that could not be read at all: one error and no pupils. */
export function unreadableTable(
  fileName: string,
  format: 'csv' | 'xlsx',
  message: string,
): ParsedImport {
  const problems = new ProblemList(fileName);
  problems.error(WHOLE_FILE, message);
  return emptyImport(fileName, format, problems.items);
}

/**
 * Reads a table into pupils. Never throws for bad content: problems are returned, and when the
 * columns cannot be mapped or the academic year is missing the result has `columns` (so the
 * user can complete the mapping) and no pupils.
 */
export function parseTable(
  fileName: string,
  format: 'csv' | 'xlsx',
  table: Table,
  options: TabularOptions,
  encoding?: string,
): ParsedImport {
  const problems = new ProblemList(fileName);
  for (const note of table.notes) {
    problems.warning(WHOLE_FILE, note);
  }
  const result: ParsedImport = {
    ...emptyImport(fileName, format, problems.items),
    academicYear: options.academicYear ?? null,
  };
  if (encoding !== undefined) {
    result.encoding = encoding;
  }

  const headerIndex = findHeaderRow(table.rows, options.mapping);
  const headerRow = headerIndex === null ? undefined : table.rows[headerIndex];
  if (headerIndex === null || headerRow === undefined) {
    problems.error(
      WHOLE_FILE,
      'The file has no rows. Export the pupil list again, with a header row and one row per pupil.',
    );
    return result;
  }
  reportRowsAboveHeader(table.rows, headerIndex, problems);

  const headers = nameColumns(headerRow.cells.map((cell) => cellText(cell)?.trim() ?? null));
  const columns = resolveColumns(headers, options.mapping);
  result.columns = columns.mapping;
  result.contents = columns.contents;
  result.providedFields = [...columns.columnOfField.keys()];

  const ready = checkReady(columns, options, headerRow.rowNumber, problems);
  const dataRows = table.rows.slice(headerIndex + 1).filter((row) => !isBlankRow(row));
  if (dataRows.length === 0) {
    problems.error(
      { location: `row ${headerRow.rowNumber}`, field: null, value: null },
      'The file has a header row but no rows below it. Export the list again with its rows.',
    );
  }
  if (!ready || dataRows.length === 0) {
    return result;
  }

  result.pupils = readRows(
    dataRows,
    columns,
    headers.length,
    options.academicYear ?? 0,
    table.date1904,
    problems,
  );
  return result;
}

function emptyImport(
  fileName: string,
  format: 'csv' | 'xlsx',
  problems: ImportProblem[],
): ParsedImport {
  return {
    format,
    fileName,
    ctfVersion: null,
    academicYear: null,
    sourceSchool: null,
    destinationSchool: null,
    pupils: [],
    problems,
    columns: null,
  };
}

/**
 * Finds the header row, which is the first of the top rows with a UPN header (recognised, or
 * mapped by the user), so title lines above it are skipped. Without one it is the first
 * non-empty row.
 */
function findHeaderRow(
  rows: TableRow[],
  mapping: Record<string, string | null> | undefined,
): number | null {
  const upnNames = new Set(
    (PUPIL_HEADER_ALIASES.find(([field]) => field === 'upn')?.[1] ?? []).map(normaliseKey),
  );
  for (const [header, field] of Object.entries(mapping ?? {})) {
    if (field === 'upn') {
      upnNames.add(normaliseKey(header));
    }
  }

  const candidates = rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => !isBlankRow(row))
    .slice(0, HEADER_SEARCH_ROWS);
  const withUpn = candidates.find(({ row }) =>
    row.cells.some((cell) => upnNames.has(normaliseKey(cellText(cell) ?? ''))),
  );
  return (withUpn ?? candidates[0])?.index ?? null;
}

function reportRowsAboveHeader(rows: TableRow[], headerIndex: number, problems: ProblemList): void {
  const skipped = rows.slice(0, headerIndex).filter((row) => !isBlankRow(row));
  const first = skipped[0];
  const header = rows[headerIndex];
  if (first === undefined || header === undefined) {
    return;
  }
  problems.warning(
    {
      location: `row ${first.rowNumber}`,
      field: null,
      value: cellText(first.cells.find((cell) => cellText(cell) !== null) ?? null),
    },
    skipped.length === 1
      ? `The headers were found on row ${header.rowNumber}, so the line above them (such as a title) was not read as a pupil.`
      : `The headers were found on row ${header.rowNumber}, so the ${skipped.length} lines above them (such as a title) were not read as pupils.`,
  );
}

/**
 * Reports mapping errors, required columns with no mapping, and an impossible academic year, and
 * returns false when rows cannot be read. A missing academic year also stops the rows being
 * read, but it is not reported here: the import service reports it once for every format.
 */
function checkReady(
  columns: ResolvedColumns,
  options: TabularOptions,
  headerRowNumber: number,
  problems: ProblemList,
): boolean {
  for (const message of columns.mappingErrors) {
    problems.error({ location: 'column mapping', field: null, value: null }, message);
  }

  const labels: Record<string, string> =
    columns.contents === 'pupils' ? PUPIL_FIELD_LABELS : EXCLUSION_FIELD_LABELS;
  for (const field of columns.mapping.missing) {
    const label = labels[field] ?? field;
    problems.error(
      { location: `row ${headerRowNumber}`, field: label, value: null },
      `No column holds the ${label}, which every row needs. Choose the column that holds it, or add a column headed "${label}".`,
    );
  }

  const year = options.academicYear;
  if (year !== undefined && (!Number.isInteger(year) || year < 1990 || year > 2100)) {
    problems.error(
      { location: 'whole file', field: 'academic year', value: String(year) },
      `${year} is not an academic year. Give its start year, for example 2024 for 2024/25.`,
    );
    return false;
  }
  return (
    columns.mappingErrors.length === 0 && columns.mapping.missing.length === 0 && year !== undefined
  );
}

function readRows(
  rows: TableRow[],
  columns: ResolvedColumns,
  headerCount: number,
  academicYear: number,
  date1904: boolean,
  problems: ProblemList,
): ImportedPupil[] {
  const whitespace = new WhitespaceTally();
  const attendanceColumns =
    columns.contents === 'pupils' ? planAttendanceColumns(columns, problems) : null;

  const pupils = rows.map((row) => {
    reportExtraCells(row, headerCount, problems);
    const reader = new RowReader(row, columns, problems, whitespace, date1904);
    return attendanceColumns === null
      ? readExclusionRow(reader)
      : readPupilRow(reader, academicYear, attendanceColumns);
  });
  whitespace.report(problems);

  const mergeMode =
    columns.contents === 'exclusions'
      ? 'exclusions'
      : columns.columnOfField.has('term')
        ? 'terms'
        : null;
  if (mergeMode === null) {
    return pupils;
  }
  const headerOf = (field: string): string => columns.headerOfField.get(field as never) ?? field;
  return mergeRowsByUpn(pupils, problems, {
    mode: mergeMode,
    upnHeader: headerOf('upn'),
    headerOf,
  });
}

function reportExtraCells(row: TableRow, headerCount: number, problems: ProblemList): void {
  const index = row.cells.findIndex(
    (cell, column) => column >= headerCount && (cellText(cell)?.trim() ?? '') !== '',
  );
  if (index < 0) {
    return;
  }
  const value = cellText(row.cells[index] ?? null);
  problems.warning(
    { location: `row ${row.rowNumber}`, field: `column ${columnLetter(index)}`, value },
    `"${value}" is beyond the last header, so it was not read. Add a header for that column if it matters, or check for a stray comma.`,
  );
}
