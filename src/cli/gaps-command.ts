/**
 * `commissioner gaps --school LAESTAB`: prints the group analysis of one school and academic
 * year as JSON or CSV, one row per group and measure.
 */
import { parseArgs } from 'node:util';
import { flattenGapAnalysis, gapAnalysisToCsv } from '../cycle/understand/gap-table.js';
import { computeSchoolGaps, listAnalysisYears } from '../cycle/understand/gap-service.js';
import { findSchoolByLaestab } from '../platform/organisations/organisation-store.js';
import { openCliDatabase } from './cli-database.js';
import {
  CliError,
  formatAcademicYear,
  parseCommandArgs,
  readAcademicYear,
  readLaestab,
  rejectExtraArguments,
  type CliIo,
  type ExitCode,
} from './cli-support.js';

export const GAPS_HELP = `Usage: commissioner gaps --school LAESTAB [--year YYYY] [--format json|csv]

Prints how each group of pupils (disadvantaged, FSM, SEN, EAL, sex, looked after, ethnicity,
year group) compares with the rest of the school on attendance, absence, suspensions,
permanent exclusions and assessment results. Each row gives the group's pupils and figure, the
rest of the school's pupils and figure, the gap (group minus rest), its 95% confidence
interval, whether it is suppressed because a side has 1 to 4 pupils, the unit of its figures,
and the reason there is no gap: suppressed, or no data because a side has no pupils with data.
Rates are proportions from 0 to 1 and assessment results are means on the assessment's scale,
not rounded. JSON gives the unit as "proportion" or "mean" and the reason as "too-few-pupils"
or "no-data".

Options:
  --school LAESTAB   The school to analyse (see "commissioner school list")
  --year YYYY        Academic year as its start year (2024 means 2024/25); by default the
                     latest year with pupil records
  --format FORMAT    json (the default) or csv
  -h, --help         Show this help

The database is DATABASE_URL, by default data/commissioner.sqlite in the project folder.
`;

const FORMATS = ['json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export async function runGapsCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('gaps', () =>
    parseArgs({
      args,
      options: {
        school: { type: 'string' },
        year: { type: 'string' },
        format: { type: 'string', default: 'json' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(GAPS_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'gaps');
  const laestab = readLaestab(values.school);
  const requestedYear = values.year === undefined ? undefined : readAcademicYear(values.year);
  const format = readFormat(values.format);

  const database = await openCliDatabase(io);
  try {
    const school = await findSchoolByLaestab(database.db, laestab);
    if (!school) {
      throw new CliError(
        `No school with LAESTAB ${laestab} is in the database ${database.description}. Check the number with: commissioner school list`,
      );
    }
    const years = await listAnalysisYears(database.db, school.id);
    const academicYear = chooseYear(requestedYear, years, school.name);

    const startedAt = performance.now();
    const analysis = await computeSchoolGaps(database.db, school.id, academicYear);
    database.log.info(
      {
        organisationId: school.id,
        academicYear,
        durationMs: Math.round(performance.now() - startedAt),
      },
      'gap analysis computed',
    );

    if (format === 'csv') {
      io.stdout.write(gapAnalysisToCsv(analysis));
    } else {
      const output = {
        school: { laestab: school.laestab, name: school.name },
        academicYear: analysis.academicYear,
        censusDate: analysis.censusDate,
        ever6WindowStart: analysis.ever6WindowStart,
        pupils: analysis.pupils,
        minimumGroupSize: analysis.minimumGroupSize,
        confidence: analysis.confidence,
        rows: flattenGapAnalysis(analysis),
      };
      io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

function readFormat(value: string | undefined): Format {
  const format = (value ?? 'json').trim().toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format "${value}" is not supported: use --format json or --format csv`);
  }
  return format as Format;
}

function chooseYear(requested: number | undefined, years: number[], schoolName: string): number {
  if (years.length === 0) {
    throw new CliError(
      `${schoolName} has no pupil records yet. Import a file first: commissioner import FILE --school LAESTAB`,
    );
  }
  const available = years.map(formatAcademicYear).join(', ');
  if (requested === undefined) return years[0] as number;
  if (!years.includes(requested)) {
    throw new CliError(
      `${schoolName} has no pupil records for ${formatAcademicYear(requested)}. Years with records: ${available}. Choose one with --year`,
    );
  }
  return requested;
}
