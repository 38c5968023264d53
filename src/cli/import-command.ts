/**
 * `commissioner import FILE --school LAESTAB`: loads a CTF, CSV or XLSX file through the same
 * preview and commit as the web upload.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findSchoolByLaestab, type School } from '../platform/organisations/organisation-store.js';
import {
  ImportRejectedError,
  commitImport,
  previewImport,
  type ImportPreview,
  type NewUpload,
} from '../pupils/import-service.js';
import { normaliseKey } from '../pupils/validate-pupils.js';
import { openCliDatabase, type CliDatabase } from './cli-database.js';
import {
  CliError,
  parseCommandArgs,
  readAcademicYear,
  readLaestab,
  type CliIo,
  type ExitCode,
} from './cli-support.js';
import { COLUMN_FIELD_LABELS, formatPreview } from './preview-report.js';

export const IMPORT_HELP = `Usage: commissioner import FILE --school LAESTAB [--dry-run] [--year YYYY]
         [--map 'HEADER=FIELD']... [--confirm-other-school]

Reads a Common Transfer File (.xml), CSV or Excel (.xlsx) file of pupils, or of suspensions
and exclusions, checks it against the school's records and prints a preview: counts, how the
columns of a CSV or XLSX file were read, then each problem with its place in the file and how
to fix it. Without --dry-run, a file with no errors is then loaded into the school's records
in one transaction: every pupil or none.

Options:
  --school LAESTAB        The school importing the file (see "commissioner school list")
  --dry-run               Print the preview only; the database is left unchanged
  --year YYYY             Academic year of a CSV or XLSX file, as its start year (2024 means
                          2024/25); those files need it. A CTF states its own year
  --map 'HEADER=FIELD'    For a CSV or XLSX file, fill FIELD from the column headed HEADER,
                          or leave that column out with 'HEADER='. Give it once for each
                          column to set; the other columns are matched by their headers.
                          The web app's preview offers the same choice as a form
  --confirm-other-school  Load a CTF that comes from another school and is addressed to
                          another school, after checking these pupils are joining yours
  -h, --help              Show this help

Fields for --map, in any case (spaces and punctuation are ignored):
${wrapList(uniqueLabels(), 2, 92)}

Exit code: 0 when the file has no errors and, without --dry-run, was loaded; 1 otherwise. A
dry run also exits with 1 when loading would need --confirm-other-school and it is not given.
The database is DATABASE_URL, by default data/commissioner.sqlite in the project folder.
`;

interface ImportRequest {
  file: string;
  laestab: string;
  dryRun: boolean;
  academicYear: number | undefined;
  /** Header to field name, or null to leave the column out; undefined without --map. */
  mapping: Record<string, string | null> | undefined;
  confirmOtherSchool: boolean;
}

export async function runImportCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('import', () =>
    parseArgs({
      args,
      options: {
        school: { type: 'string' },
        'dry-run': { type: 'boolean' },
        year: { type: 'string' },
        map: { type: 'string', multiple: true },
        'confirm-other-school': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(IMPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? 'The file to import is missing: give its path, for example commissioner import pupils.xml --school 8014001'
        : `Give one file to import, not ${positionals.length}: import the files one at a time`,
    );
  }

  const request: ImportRequest = {
    file: resolve(io.cwd, positionals[0] as string),
    laestab: readLaestab(values.school),
    dryRun: values['dry-run'] === true,
    academicYear: values.year === undefined ? undefined : readAcademicYear(values.year),
    mapping: values.map === undefined ? undefined : readMapping(values.map),
    confirmOtherSchool: values['confirm-other-school'] === true,
  };
  const content = await readImportFile(request.file);

  const database = await openCliDatabase(io);
  try {
    return await importFile(database, request, content, io);
  } finally {
    await database.close();
  }
}

async function readImportFile(path: string): Promise<Buffer> {
  try {
    const details = await stat(path);
    if (!details.isFile()) {
      throw new CliError(`${path} is not a file: give the path of a CTF, CSV or XLSX file`);
    }
    return await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CliError(`File not found: ${path}. Check the path and the file name`);
    }
    if (code === 'EACCES') {
      throw new CliError(`Cannot read ${path}: permission denied. Check the file's permissions`);
    }
    throw error;
  }
}

async function importFile(
  database: CliDatabase,
  request: ImportRequest,
  content: Buffer,
  io: CliIo,
): Promise<ExitCode> {
  const school = await findSchoolByLaestab(database.db, request.laestab);
  if (!school) {
    throw new CliError(
      `No school with LAESTAB ${request.laestab} is in the database ${database.description}. Add it with: commissioner school add --laestab ${request.laestab} --name NAME`,
    );
  }

  const upload: NewUpload = {
    organisationId: school.id,
    fileName: basename(request.file),
    content,
    academicYear: request.academicYear,
    mapping: request.mapping,
  };
  const willCommit = (preview: ImportPreview): boolean =>
    !request.dryRun &&
    preview.canCommit &&
    (request.confirmOtherSchool || !preview.needsOtherSchoolConfirmation);
  const preview = await previewKeptOnlyIf(database, upload, willCommit);

  io.stdout.write(formatPreview(preview, school));
  const isTable = preview.format === 'csv' || preview.format === 'xlsx';
  if (request.mapping !== undefined && !isTable && preview.status !== 'unreadable') {
    io.stdout.write('\n--map was not used: it applies to CSV and XLSX files only.\n');
  }

  if (preview.counts.errors > 0 || preview.status === 'unreadable') {
    io.stdout.write(
      `\nNothing was loaded: correct the ${preview.counts.errors === 1 ? 'error' : 'errors'} above and run the import again.\n`,
    );
    if (isTable && preview.academicYear === null && request.academicYear === undefined) {
      io.stdout.write('Give the academic year with --year, for example --year 2024 for 2024/25.\n');
    }
    return 1;
  }
  const needsConfirmation = preview.needsOtherSchoolConfirmation && !request.confirmOtherSchool;
  const otherSchool = `this CTF comes from another school and is addressed to another school. If these pupils are joining ${school.name}, run the command again with --confirm-other-school`;
  if (request.dryRun) {
    io.stdout.write(
      needsConfirmation
        ? `\nDry run: nothing was saved. Loading the file would be refused: ${otherSchool} and without --dry-run.\n`
        : '\nDry run: nothing was saved. Run the same command without --dry-run to load the file.\n',
    );
    return needsConfirmation ? 1 : 0;
  }
  if (needsConfirmation) {
    io.stdout.write(`\nNothing was loaded: ${otherSchool}.\n`);
    return 1;
  }
  if (!preview.canCommit || preview.importId === null) {
    io.stdout.write('\nNothing was loaded: the file has no pupils to load.\n');
    return 1;
  }
  return commit(database, school, preview.importId, request, io);
}

async function commit(
  database: CliDatabase,
  school: School,
  importId: number,
  request: ImportRequest,
  io: CliIo,
): Promise<ExitCode> {
  try {
    const counts = await commitImport(
      database.db,
      school.id,
      importId,
      { confirmOtherSchool: request.confirmOtherSchool },
      database.limits,
      database.log,
    );
    io.stdout.write(
      `\nLoaded import ${importId} into ${school.name}: ${counts.pupils} pupils (${counts.newPupils} new, ${counts.changedPupils} changed, ${counts.unchangedPupils} unchanged), ${counts.attendanceRecords} attendance records, ${counts.exclusions} exclusions, ${counts.results} results.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ImportRejectedError) {
      throw new CliError(`The import was not loaded: ${error.message}`);
    }
    throw error;
  }
}

/** Thrown to roll back a preview that will not be committed; carries the preview out. */
class DiscardPreview extends Error {
  constructor(readonly preview: ImportPreview) {
    super('preview discarded');
  }
}

/**
 * Previews the upload inside a transaction and keeps the stored preview only when `keep`
 * returns true for it. A dry run, or a file with errors, therefore leaves the database exactly
 * as it was: no import record and no copy of the file.
 */
async function previewKeptOnlyIf(
  database: CliDatabase,
  upload: NewUpload,
  keep: (preview: ImportPreview) => boolean,
): Promise<ImportPreview> {
  try {
    return await database.db.transaction().execute(async (trx) => {
      const preview = await previewImport(trx, upload, database.limits, database.log);
      if (!keep(preview)) throw new DiscardPreview(preview);
      return preview;
    });
  } catch (error) {
    if (error instanceof DiscardPreview) return { ...error.preview, importId: null };
    throw error;
  }
}

/**
 * Reads the --map options into a header-to-field mapping. FIELD is a field's name as the help
 * lists it, or its internal name, compared without case, spaces or punctuation. An empty FIELD
 * leaves the column out. Throws a `CliError` for a value with no `=`, an unknown field, or a
 * header given twice.
 */
export function readMapping(values: readonly string[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  for (const value of values) {
    const separator = value.lastIndexOf('=');
    if (separator < 0) {
      throw new CliError(
        `--map "${value}" has no "=": give the column's header, then = and the field, for example --map 'Unique Pupil No.=UPN'`,
      );
    }
    const header = value.slice(0, separator).trim();
    const fieldText = value.slice(separator + 1).trim();
    if (header === '') {
      throw new CliError(`--map "${value}" has no header before the "=": give the column's header`);
    }
    if (header in mapping) {
      throw new CliError(`--map gives the column "${header}" twice: give each column once`);
    }
    mapping[header] = fieldText === '' ? null : findField(fieldText, value);
  }
  return mapping;
}

function findField(text: string, option: string): string {
  const wanted = normaliseKey(text);
  for (const [field, label] of Object.entries(COLUMN_FIELD_LABELS)) {
    if (normaliseKey(label) === wanted || normaliseKey(field) === wanted) return field;
  }
  throw new CliError(
    `--map "${option}" names the field "${text}", which a column cannot fill. Use one of: ${uniqueLabels().join(', ')}`,
  );
}

function uniqueLabels(): string[] {
  return [...new Set(Object.values(COLUMN_FIELD_LABELS))];
}

/** Joins items with commas into lines of at most `width` characters, each indented by `indent`. */
function wrapList(items: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const [index, item] of items.entries()) {
    const piece = index < items.length - 1 ? `${item},` : item;
    if (line !== '' && indent + line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else {
      line = line === '' ? piece : `${line} ${piece}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((text) => `${' '.repeat(indent)}${text}`).join('\n');
}
