/**
 * `commissioner demo`: creates the synthetic demo school in the database, or writes its files
 * to a folder so they can be imported by hand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findSchoolByLaestab } from '../platform/organisations/organisation-store.js';
import { writeExclusionsCsv, writeTermlyAttendanceCsv } from '../pupils/demo/csv-writers.js';
import { writeSchoolCtf } from '../pupils/demo/ctf-writer.js';
import { MAXIMUM_PUPILS, generateSchool } from '../pupils/demo/generate-school.js';
import { DEMO_SCHOOL, lastCompleteAcademicYear, seedDemoSchool } from '../pupils/demo/seed-demo.js';
import { openCliDatabase } from './cli-database.js';
import {
  CliError,
  formatAcademicYear,
  parseCommandArgs,
  readAcademicYear,
  rejectExtraArguments,
  type CliIo,
  type ExitCode,
} from './cli-support.js';

export const DEMO_HELP = `Usage: commissioner demo [--out FOLDER [--pupils N] [--year YYYY] [--seed SEED]]

Without --out: adds the demo school, ${DEMO_SCHOOL.name} (LAESTAB ${DEMO_SCHOOL.laestab}),
to the database with ${DEMO_SCHOOL.pupils} synthetic pupils, loaded through the same import a school uses.
Every pupil is invented; rates follow published national figures for England.

With --out: writes the demo files to FOLDER instead, and leaves the database alone:
  oakfield-demo-ctf.xml          pupils as a Common Transfer File (CTF 25.0)
  oakfield-demo-exclusions.csv   suspensions and permanent exclusions
  oakfield-demo-attendance.csv   pupils with one attendance row per term

Options:
  --out FOLDER   Folder to write the files to; it is created if missing
  --pupils N     Pupils in the files, 1 to ${MAXIMUM_PUPILS} (default ${DEMO_SCHOOL.pupils})
  --year YYYY    Academic year of the files as its start year (default: the last complete year)
  --seed SEED    Any text; the same seed gives the same files (default ${DEMO_SCHOOL.seed})
  -h, --help     Show this help
`;

export async function runDemoCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('demo', () =>
    parseArgs({
      args,
      options: {
        out: { type: 'string' },
        pupils: { type: 'string' },
        year: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'demo');

  if (values.out === undefined) {
    const ignored = (['pupils', 'year', 'seed'] as const).filter(
      (option) => values[option] !== undefined,
    );
    if (ignored.length > 0) {
      throw new CliError(
        `--${ignored[0]} only applies with --out, because the demo school added to the database is fixed: ${DEMO_SCHOOL.pupils} pupils in the last complete academic year`,
      );
    }
    return seedDatabase(io);
  }
  return writeDemoFiles(io, {
    folder: resolve(io.cwd, values.out),
    pupils: values.pupils === undefined ? DEMO_SCHOOL.pupils : readPupilCount(values.pupils),
    academicYear:
      values.year === undefined
        ? lastCompleteAcademicYear(new Date())
        : readAcademicYear(values.year),
    seed: values.seed ?? DEMO_SCHOOL.seed,
  });
}

async function seedDatabase(io: CliIo): Promise<ExitCode> {
  const database = await openCliDatabase(io);
  try {
    if (await findSchoolByLaestab(database.db, DEMO_SCHOOL.laestab)) {
      io.stdout.write(
        `The demo school (LAESTAB ${DEMO_SCHOOL.laestab}) is already in the database; nothing was changed.\n`,
      );
      return 0;
    }
    const result = await seedDemoSchool(database.db, database.log);
    io.stdout.write(
      `Added ${result.school.name}, LAESTAB ${result.school.laestab}, with ${result.pupilImport.counts.pupils} pupils and ${result.exclusionImport.counts.exclusions} suspensions and permanent exclusions for ${formatAcademicYear(result.academicYear)}.\n` +
        `See the gaps with: commissioner gaps --school ${result.school.laestab}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function writeDemoFiles(
  io: CliIo,
  request: { folder: string; pupils: number; academicYear: number; seed: string },
): Promise<ExitCode> {
  const school = generateSchool({
    seed: request.seed,
    laestab: DEMO_SCHOOL.laestab,
    name: DEMO_SCHOOL.name,
    phase: DEMO_SCHOOL.phase,
    pupils: request.pupils,
    academicYear: request.academicYear,
    terms: 3,
    resultsPerPupil: DEMO_SCHOOL.resultsPerPupil,
  });
  const ctfName = 'oakfield-demo-ctf.xml';
  const files: [string, string][] = [
    [ctfName, writeSchoolCtf(school)],
    ['oakfield-demo-exclusions.csv', writeExclusionsCsv(school)],
    ['oakfield-demo-attendance.csv', writeTermlyAttendanceCsv(school)],
  ];
  try {
    await mkdir(request.folder, { recursive: true });
    for (const [name, text] of files) await writeFile(join(request.folder, name), text, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `Cannot write the demo files to ${request.folder}: ${reason}. Choose a folder you can write to`,
    );
  }

  io.stdout.write(
    `Wrote ${files.map(([name]) => name).join(', ')} to ${request.folder}: ${request.pupils} pupils, ${formatAcademicYear(request.academicYear)}.\n` +
      `Load them with:\n` +
      `  commissioner school add --laestab ${DEMO_SCHOOL.laestab} --name "${DEMO_SCHOOL.name}"\n` +
      `  commissioner import ${join(request.folder, ctfName)} --school ${DEMO_SCHOOL.laestab}\n`,
  );
  return 0;
}

function readPupilCount(value: string): number {
  const count = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAXIMUM_PUPILS) {
    throw new CliError(
      `--pupils "${value}" is not a number of pupils: give a whole number from 1 to ${MAXIMUM_PUPILS}`,
    );
  }
  return count;
}
