/**
 * Benchmark: import a 2,000-pupil school and compute its gap analysis.
 *
 * Generates a synthetic secondary school (2,000 pupils, three terms of attendance, ten results a
 * pupil) as a CTF and a termly attendance CSV. Each run loads them into a fresh database through
 * the same preview and commit a school uses, then computes the analysis. The script prints the
 * median and spread of each step as Markdown, with the machine it ran on.
 *
 * Run: npm run bench
 * Settings (environment variables):
 *   BENCH_RUNS           runs per database, default 5
 *   BENCH_PUPILS         pupils, default 2000
 *   BENCH_POSTGRES_URL   also run on PostgreSQL: an admin URL such as
 *                        postgres://postgres@127.0.0.1:5432/postgres; each run creates its own
 *                        database there and drops it afterwards
 *
 * Targets on a 2-core machine: import under 2 s, analysis under 100 ms. Nothing here asserts
 * them; the figures are recorded in docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadAnalysisPupils } from '../src/cycle/understand/analysis-store.js';
import { analyseGaps } from '../src/cycle/understand/gap-analysis.js';
import { computeSchoolGaps } from '../src/cycle/understand/gap-service.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { createSchool, type School } from '../src/platform/organisations/organisation-store.js';
import { writeSchoolCtf } from '../src/pupils/demo/ctf-writer.js';
import { writeTermlyAttendanceCsv } from '../src/pupils/demo/csv-writers.js';
import { generateSchool } from '../src/pupils/demo/generate-school.js';
import { commitImport, previewImport, type ImportLimits } from '../src/pupils/import-service.js';
import { parseImportFile } from '../src/pupils/parse-import.js';

const RUNS = readPositiveInteger('BENCH_RUNS', 5);
const PUPILS = readPositiveInteger('BENCH_PUPILS', 2_000);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL?.trim() || null;
const ACADEMIC_YEAR = 2025;
const LAESTAB = '9999001';
const LIMITS: ImportLimits = { maxBytes: 100 * 1024 * 1024 };
/** Repetitions of the analysis inside each run, after the import. */
const ANALYSIS_REPEATS = 5;

type StepTimes = Map<string, number[]>;

interface Files {
  ctf: Buffer;
  attendance: Buffer;
  results: number;
  attendanceRows: number;
}

function readPositiveInteger(name: string, fallback: number): number {
  const text = process.env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name}="${text}" is invalid: give a whole number of 1 or more`);
  }
  return value;
}

function generateFiles(): Files {
  const school = generateSchool({
    seed: 'benchmark',
    laestab: LAESTAB,
    name: 'Benchmark Secondary School',
    phase: 'secondary',
    pupils: PUPILS,
    academicYear: ACADEMIC_YEAR,
    terms: 3,
    resultsPerPupil: 10,
  });
  return {
    ctf: Buffer.from(writeSchoolCtf(school), 'utf8'),
    attendance: Buffer.from(writeTermlyAttendanceCsv(school), 'utf8'),
    results: school.pupils.reduce((sum, pupil) => sum + pupil.results.length, 0),
    attendanceRows: school.pupils.reduce((sum, pupil) => sum + pupil.attendance.length, 0),
  };
}

async function time<T>(times: StepTimes, step: string, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  const result = await work();
  const list = times.get(step) ?? [];
  list.push(performance.now() - startedAt);
  times.set(step, list);
  return result;
}

/** Previews and commits one file, timing each half and the two together; throws if it has errors. */
async function importFile(
  times: StepTimes,
  label: string,
  handle: DatabaseHandle,
  school: School,
  fileName: string,
  content: Buffer,
): Promise<void> {
  await time(times, `${label}: preview + commit`, async () => {
    const preview = await time(times, `${label}: preview`, () =>
      previewImport(
        handle.db,
        { organisationId: school.id, fileName, content, academicYear: ACADEMIC_YEAR },
        LIMITS,
      ),
    );
    const importId = preview.importId;
    if (importId === null || !preview.canCommit) {
      throw new Error(
        `${fileName} could not be committed: ${preview.counts.errors} errors, first: ${preview.problems[0]?.message ?? 'none'}`,
      );
    }
    await time(times, `${label}: commit`, () =>
      commitImport(handle.db, school.id, importId, { confirmOtherSchool: false }, LIMITS),
    );
  });
}

async function runOnce(times: StepTimes, files: Files, handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db);
  const school = await createSchool(handle.db, {
    laestab: LAESTAB,
    name: 'Benchmark Secondary School',
    phase: 'secondary',
  });

  await importFile(times, 'CTF import', handle, school, 'benchmark.xml', files.ctf);
  await importFile(
    times,
    'Termly attendance CSV import',
    handle,
    school,
    'benchmark-attendance.csv',
    files.attendance,
  );

  for (let repeat = 0; repeat < ANALYSIS_REPEATS; repeat += 1) {
    await time(times, 'Analysis: load from database + compute', () =>
      computeSchoolGaps(handle.db, school.id, ACADEMIC_YEAR),
    );
  }
  const pupils = await time(times, 'Analysis: load from database only', () =>
    loadAnalysisPupils(handle.db, school.id, school.laestab, ACADEMIC_YEAR),
  );
  for (let repeat = 0; repeat < ANALYSIS_REPEATS; repeat += 1) {
    await time(times, 'Analysis: compute only (analyseGaps)', async () =>
      analyseGaps(pupils, ACADEMIC_YEAR),
    );
  }
}

async function runSqlite(times: StepTimes, files: Files): Promise<void> {
  const folder = mkdtempSync(join(os.tmpdir(), 'commissioner-bench-'));
  const handle = openDatabase(`sqlite:${join(folder, 'bench.sqlite')}`);
  try {
    await runOnce(times, files, handle);
  } finally {
    await handle.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Creates a database, retrying while PostgreSQL reports the template database busy (SQLSTATE
 * 55006), which happens when another session creates a database at the same moment.
 */
async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE ${name}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt === 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

async function runPostgres(
  times: StepTimes,
  files: Files,
  adminUrl: string,
  run: number,
): Promise<void> {
  const name = `commissioner_bench_${process.pid}_${run}`;
  await createDatabase(adminUrl, name);

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString());
  try {
    await runOnce(times, files, handle);
  } finally {
    await handle.close();
    const cleaner = new pg.Client({ connectionString: adminUrl });
    await cleaner.connect();
    await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleaner.end();
  }
}

function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

function formatMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function table(title: string, times: StepTimes): string {
  const lines = [
    `### ${title}`,
    '',
    '| step | runs | median ms | min ms | max ms | interquartile range ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [step, values] of times) {
    const sorted = [...values].sort((a, b) => a - b);
    const spread = `${formatMs(quantile(sorted, 0.25))}–${formatMs(quantile(sorted, 0.75))}`;
    lines.push(
      `| ${step} | ${sorted.length} | ${formatMs(quantile(sorted, 0.5))} | ${formatMs(sorted[0] as number)} | ${formatMs(sorted[sorted.length - 1] as number)} | ${spread} |`,
    );
  }
  return lines.join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  return [
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- CPUs available to Node.js: ${os.availableParallelism()}; model: ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node.js ${process.version} on ${os.platform()} ${os.release()}`,
    `- Load average when the run ended (1, 5, 15 minutes): ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(', ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const generatedAt = performance.now();
  const files = generateFiles();
  const generationMs = performance.now() - generatedAt;

  const parseTimes: StepTimes = new Map();
  for (let run = 0; run < RUNS; run += 1) {
    await time(parseTimes, 'Parse CTF only (parseImportFile)', () =>
      parseImportFile('benchmark.xml', files.ctf, LIMITS),
    );
    await time(parseTimes, 'Parse termly CSV only (parseImportFile)', () =>
      parseImportFile('benchmark-attendance.csv', files.attendance, {
        ...LIMITS,
        academicYear: ACADEMIC_YEAR,
      }),
    );
  }

  const sqliteTimes: StepTimes = new Map();
  for (let run = 0; run < RUNS; run += 1) await runSqlite(sqliteTimes, files);

  const postgresTimes: StepTimes = new Map();
  if (POSTGRES_URL !== null) {
    for (let run = 0; run < RUNS; run += 1)
      await runPostgres(postgresTimes, files, POSTGRES_URL, run);
  }

  const output = [
    '## Import and analysis benchmark',
    '',
    machine(),
    '',
    `Data: ${PUPILS} pupils, a ${(files.ctf.length / 1024 / 1024).toFixed(1)} MB CTF with ${files.results} results and one attendance year per pupil, and a ${(files.attendance.length / 1024 / 1024).toFixed(1)} MB CSV with ${files.attendanceRows} term rows; generated in ${formatMs(generationMs)} ms (not timed below).`,
    `Runs: ${RUNS} per database, each on a fresh database; the analysis is repeated ${ANALYSIS_REPEATS} times in each run.`,
    '',
    table('Parsing (no database)', parseTimes),
    '',
    table('SQLite (file in the temporary folder)', sqliteTimes),
  ];
  if (POSTGRES_URL !== null) output.push('', table('PostgreSQL', postgresTimes));
  else output.push('', 'PostgreSQL: not run (set BENCH_POSTGRES_URL to include it).');
  process.stdout.write(`${output.join('\n')}\n`);
}

await main();
