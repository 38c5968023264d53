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
import { openCliDatabase, type CliDatabase } from './cli-database.js';
import {
  CliError,
  parseCommandArgs,
  readAcademicYear,
  readLaestab,
  type CliIo,
  type ExitCode,
} from './cli-support.js';
import { formatPreview } from './preview-report.js';

export const IMPORT_HELP = `Usage: commissioner import FILE --school LAESTAB [--dry-run] [--year YYYY] [--confirm-other-school]

Reads a Common Transfer File (.xml), CSV or Excel (.xlsx) file of pupils, or of suspensions
and exclusions, checks it against the school's records and prints a preview: counts, then
each problem with its place in the file, the field, the value and how to fix it.
Without --dry-run, a file with no errors is then loaded into the school's records in one
transaction: every pupil or none.

Options:
  --school LAESTAB        The school importing the file (see "commissioner school list")
  --dry-run               Print the preview only; the database is left unchanged
  --year YYYY             Academic year of a CSV or XLSX file that does not say, as its start
                          year (2024 means 2024/25); a CTF states its own year
  --confirm-other-school  Load a CTF that comes from another school and is addressed to
                          another school, after checking these pupils are joining yours
  -h, --help              Show this help

Exit code: 0 when the file has no errors (and, without --dry-run, was loaded); 1 otherwise.
The database is DATABASE_URL, by default data/commissioner.sqlite in the project folder.
`;

interface ImportRequest {
  file: string;
  laestab: string;
  dryRun: boolean;
  academicYear: number | undefined;
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
  };
  const willCommit = (preview: ImportPreview): boolean =>
    !request.dryRun &&
    preview.canCommit &&
    (request.confirmOtherSchool || !preview.needsOtherSchoolConfirmation);
  const preview = await previewKeptOnlyIf(database, upload, willCommit);

  io.stdout.write(formatPreview(preview, school));

  if (preview.counts.errors > 0 || preview.status === 'unreadable') {
    io.stdout.write(
      `\nNothing was loaded: correct the ${preview.counts.errors === 1 ? 'error' : 'errors'} above and run the import again.\n`,
    );
    if (preview.academicYear === null && request.academicYear === undefined) {
      io.stdout.write(
        'The file does not state its academic year: give it with --year, for example --year 2024 for 2024/25.\n',
      );
    }
    return 1;
  }
  if (request.dryRun) {
    io.stdout.write(
      '\nDry run: nothing was saved. Run the same command without --dry-run to load the file.\n',
    );
    return 0;
  }
  if (preview.needsOtherSchoolConfirmation && !request.confirmOtherSchool) {
    io.stdout.write(
      `\nNothing was loaded: this CTF comes from another school and is addressed to another school. If these pupils are joining ${school.name}, run the command again with --confirm-other-school.\n`,
    );
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
