/**
 * `commissioner school add` and `commissioner school list`: the schools whose pupil data the
 * database holds.
 */
import { parseArgs } from 'node:util';
import {
  SCHOOL_PHASES,
  SchoolInputError,
  countPupilsByYear,
  createSchool,
  listSchools,
} from '../platform/organisations/organisation-store.js';
import { openCliDatabase } from './cli-database.js';
import {
  CliError,
  formatAcademicYear,
  parseCommandArgs,
  readLaestab,
  rejectExtraArguments,
  type CliIo,
  type ExitCode,
} from './cli-support.js';

export const SCHOOL_HELP = `Usage: commissioner school <command> [options]

Commands:
  add     Add a school, so that its pupil data can be imported
  list    List the schools in the database with their pupils per academic year

Run "commissioner school <command> --help" for the options of a command.
`;

export const SCHOOL_ADD_HELP = `Usage: commissioner school add --laestab LAESTAB --name NAME [--urn URN] [--phase PHASE]

Adds a school to the database.

Options:
  --laestab LAESTAB  LA number and establishment number, 7 digits, for example 8014001
                     (801/4001 is read the same way)
  --name NAME        The school's name, in quotes if it has spaces
  --urn URN          Unique reference number from Get Information about Schools, 6 digits
  --phase PHASE      One of: ${SCHOOL_PHASES.join(', ')}
  -h, --help         Show this help

The database is DATABASE_URL (sqlite:PATH or postgres://user@host:port/database), by
default data/commissioner.sqlite in the project folder.
`;

export const SCHOOL_LIST_HELP = `Usage: commissioner school list

Lists the schools in the database: LAESTAB, name, and pupils in each academic year.

Options:
  -h, --help  Show this help
`;

export async function runSchoolCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [subcommand, ...rest] = args;
  if (
    subcommand === undefined ||
    subcommand === '--help' ||
    subcommand === '-h' ||
    subcommand === 'help'
  ) {
    io.stdout.write(SCHOOL_HELP);
    return subcommand === undefined ? 1 : 0;
  }
  if (subcommand === 'add') return addSchool(rest, io);
  if (subcommand === 'list') return listAllSchools(rest, io);
  throw new CliError(
    `"${subcommand}" is not a school command. Use "commissioner school add" or "commissioner school list"`,
  );
}

async function addSchool(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('school add', () =>
    parseArgs({
      args,
      options: {
        laestab: { type: 'string' },
        name: { type: 'string' },
        urn: { type: 'string' },
        phase: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(SCHOOL_ADD_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'school add');

  const laestab = readLaestab(values.laestab, '--laestab');
  const name = values.name?.trim();
  if (!name) {
    throw new CliError(
      '--name is missing: give the school\'s name, for example --name "Brookfield Academy"',
    );
  }
  const phase = values.phase?.trim().toLowerCase();
  if (phase !== undefined && !(SCHOOL_PHASES as readonly string[]).includes(phase)) {
    throw new CliError(
      `--phase "${values.phase}" is not a school phase: use one of ${SCHOOL_PHASES.join(', ')}`,
    );
  }

  const database = await openCliDatabase(io);
  try {
    const school = await createSchool(database.db, {
      laestab,
      name,
      urn: values.urn?.trim() || null,
      phase: phase ?? null,
    });
    database.log.info({ organisationId: school.id }, 'school added');
    io.stdout.write(
      `Added ${school.name}, LAESTAB ${school.laestab} (organisation ${school.id}).\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SchoolInputError) throw new CliError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

async function listAllSchools(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('school list', () =>
    parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true }),
  );
  if (values.help) {
    io.stdout.write(SCHOOL_LIST_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'school list');

  const database = await openCliDatabase(io);
  try {
    const schools = await listSchools(database.db);
    if (schools.length === 0) {
      io.stdout.write(
        'No schools yet. Add one with: commissioner school add --laestab LAESTAB --name NAME\n',
      );
      return 0;
    }
    for (const school of schools) {
      const years = await countPupilsByYear(database.db, school.id);
      const pupils =
        years.length === 0
          ? 'no pupil data'
          : years
              .map((year) => `${formatAcademicYear(year.academicYear)}: ${year.pupils} pupils`)
              .join(', ');
      io.stdout.write(`${school.laestab}  ${school.name}  (${pupils})\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
