import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAP_TABLE_COLUMNS, type GapTableRow } from '../cycle/understand/gap-table.js';
import { toCsv } from '../exports/csv.js';
import { writeSchoolCtf } from '../pupils/demo/ctf-writer.js';
import { writeExclusionsCsv } from '../pupils/demo/csv-writers.js';
import { generateSchool } from '../pupils/demo/generate-school.js';

const BIN = fileURLToPath(new URL('../../bin/commissioner.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command line as a child process, as a user would. */
function commissioner(
  args: string[],
  options: { databaseUrl: string; cwd?: string; env?: Record<string, string> },
): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: options.databaseUrl };
  delete env.LOG_LEVEL;
  return run([BIN, ...args], { cwd: options.cwd ?? folder, env: { ...env, ...options.env } });
}

/**
 * Starts the web server as `npm start` does. A server that starts is stopped after
 * `timeoutMs`, so a test that expects a failure fails instead of hanging.
 */
function webServer(env: Record<string, string>, timeoutMs = 20_000): Promise<RunResult> {
  const base: NodeJS.ProcessEnv = { ...process.env, DEMO: 'off', HOST: '127.0.0.1' };
  delete base.LOG_LEVEL;
  delete base.PORT;
  return run(
    ['--import', 'tsx', 'src/main.ts'],
    { cwd: ROOT, env: { ...base, ...env } },
    timeoutMs,
  );
}

function run(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  timeoutMs?: number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, options);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill(), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Writes a CSV file of pupils into the test folder and returns its path. */
function writeCsv(name: string, lines: string[]): string {
  const path = join(folder, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

/** Row counts of every table, to check that a command changed nothing. */
function tableCounts(path: string): Record<string, number> {
  const database = new SQLite(path, { readonly: true });
  try {
    const tables = database
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (database.prepare(`SELECT count(*) AS rows FROM "${name}"`).get() as { rows: number }).rows,
      ]),
    );
  } finally {
    database.close();
  }
}

let folder: string;
let databaseNumber = 0;
const files = { ctf: '', exclusions: '', broken: '' };
let upns: string[] = [];
const SCHOOL = { laestab: '9999001', name: 'Oakfield Secondary School (demo)' };

function freshDatabase(): { url: string; path: string } {
  databaseNumber += 1;
  const path = join(folder, `test-${databaseNumber}.sqlite`);
  return { url: `sqlite:${path}`, path };
}

async function loadedDatabase(): Promise<{ url: string; path: string }> {
  const database = freshDatabase();
  expect(
    (
      await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
        databaseUrl: database.url,
      })
    ).code,
  ).toBe(0);
  expect(
    (
      await commissioner(['import', files.ctf, '--school', SCHOOL.laestab], {
        databaseUrl: database.url,
      })
    ).code,
  ).toBe(0);
  return database;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'commissioner-cli-'));
  const school = generateSchool({
    seed: 'cli',
    laestab: SCHOOL.laestab,
    name: SCHOOL.name,
    phase: 'secondary',
    pupils: 120,
    academicYear: 2025,
    terms: 1,
    resultsPerPupil: 3,
  });
  const ctf = writeSchoolCtf(school);
  files.ctf = join(folder, 'oakfield.xml');
  files.exclusions = join(folder, 'oakfield-exclusions.csv');
  files.broken = join(folder, 'broken.xml');
  writeFileSync(files.ctf, ctf);
  upns = school.pupils.slice(0, 6).map((pupil) => pupil.upn);
  writeFileSync(files.exclusions, writeExclusionsCsv(school));

  // The same file with the first pupil's UPN mistyped: its check letter no longer fits.
  const firstUpn = school.pupils[0]!.upn;
  const wrongLetter = firstUpn.startsWith('A') ? 'B' : 'A';
  writeFileSync(
    files.broken,
    ctf.replace(`<UPN>${firstUpn}</UPN>`, `<UPN>${wrongLetter}${firstUpn.slice(1)}</UPN>`),
  );
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('commissioner command line', () => {
  it('--help lists the commands', async () => {
    const result = await commissioner(['--help'], { databaseUrl: freshDatabase().url });

    expect(result.code).toBe(0);
    for (const command of ['school add', 'school list', 'import', 'gaps', 'demo', 'DATABASE_URL']) {
      expect(result.stdout).toContain(command);
    }
  });

  it('each command has --help', async () => {
    for (const command of [['school', 'add'], ['school', 'list'], ['import'], ['gaps'], ['demo']]) {
      const result = await commissioner([...command, '--help'], {
        databaseUrl: freshDatabase().url,
      });
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toContain(
        `Usage: commissioner ${command.join(' ')}`,
      );
    }
  });

  it('rejects an unknown command', async () => {
    const result = await commissioner(['frobnicate'], { databaseUrl: freshDatabase().url });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"frobnicate" is not a command');
  });

  it('rejects an unknown option', async () => {
    const result = await commissioner(['gaps', '--school', SCHOOL.laestab, '--colour'], {
      databaseUrl: freshDatabase().url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'--colour'");
    expect(result.stderr).toContain('commissioner gaps --help');
  });
});

describe('commissioner school', () => {
  it('adds and lists a school', async () => {
    const database = freshDatabase();

    const added = await commissioner(
      [
        'school',
        'add',
        '--laestab',
        '999/9001',
        '--name',
        SCHOOL.name,
        '--urn',
        '100000',
        '--phase',
        'secondary',
      ],
      {
        databaseUrl: database.url,
      },
    );
    const listed = await commissioner(['school', 'list'], { databaseUrl: database.url });

    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added ${SCHOOL.name}, LAESTAB 9999001`);
    expect(listed.stdout).toContain(`9999001  ${SCHOOL.name}  (no pupil data)`);
  });

  it('rejects a short LAESTAB', async () => {
    const database = freshDatabase();

    const result = await commissioner(['school', 'add', '--laestab', '99901', '--name', 'Short'], {
      databaseUrl: database.url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--laestab "99901" is not a LAESTAB');
    expect(result.stderr).toContain('for example 8014001');
  });

  it('rejects a duplicate school', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });

    const result = await commissioner(
      ['school', 'add', '--laestab', SCHOOL.laestab, '--name', 'Again'],
      { databaseUrl: database.url },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('A school with LAESTAB 9999001 already exists');
  });

  it('rejects an unknown phase', async () => {
    const result = await commissioner(
      ['school', 'add', '--laestab', SCHOOL.laestab, '--name', 'X', '--phase', 'college'],
      {
        databaseUrl: freshDatabase().url,
      },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--phase "college" is not a school phase');
  });
});

describe('commissioner import', () => {
  it('dry run leaves database unchanged', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });
    const before = tableCounts(database.path);

    const result = await commissioner(
      ['import', files.ctf, '--school', SCHOOL.laestab, '--dry-run'],
      { databaseUrl: database.url },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Format: Common Transfer File version 25.0');
    expect(result.stdout).toContain('Academic year: 2025/26');
    expect(result.stdout).toContain('Pupils: 120 (120 new, 0 changed, 0 unchanged)');
    expect(result.stdout).toContain('Problems: 0 errors, 0 warnings');
    expect(result.stdout).toContain('Dry run: nothing was saved.');
    expect(tableCounts(database.path)).toEqual(before);
  });

  it('dry run reports each error', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });
    const before = tableCounts(database.path);

    const result = await commissioner(
      ['import', files.broken, '--school', SCHOOL.laestab, '--dry-run'],
      { databaseUrl: database.url },
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Problems: 1 error, 0 warnings');
    expect(result.stdout).toMatch(
      /\n {2}Error: broken\.xml, Pupil 1, line \d+, UPN: "[A-Z]\d{12}" is not a valid UPN/,
    );
    expect(result.stdout.match(/broken\.xml, Pupil 1/g)).toHaveLength(1);
    expect(result.stdout).toContain('Nothing was loaded');
    expect(result.stdout).not.toContain('--year');
    expect(tableCounts(database.path)).toEqual(before);
  });

  it('rejects a file with errors', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });

    const result = await commissioner(['import', files.broken, '--school', SCHOOL.laestab], {
      databaseUrl: database.url,
    });

    expect(result.code).toBe(1);
    expect(tableCounts(database.path)).toMatchObject({ imports: 0, pupils: 0, pupil_years: 0 });
  });

  it('loads pupils then exclusions', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });

    const pupils = await commissioner(['import', files.ctf, '--school', SCHOOL.laestab], {
      databaseUrl: database.url,
    });
    const exclusions = await commissioner(
      ['import', files.exclusions, '--school', SCHOOL.laestab, '--year', '2025'],
      {
        databaseUrl: database.url,
      },
    );

    expect(pupils.code).toBe(0);
    expect(pupils.stdout).toMatch(
      /Loaded import 1 into Oakfield Secondary School \(demo\): 120 pupils \(120 new/,
    );
    expect(exclusions.code).toBe(0);
    expect(exclusions.stdout).toContain('Loaded import 2');
    const counts = tableCounts(database.path);
    expect(counts).toMatchObject({ imports: 2, pupils: 120, pupil_years: 120, attendance: 120 });
    expect(counts.exclusions).toBeGreaterThan(0);
  });

  it('asks for --year on CSV', async () => {
    const database = await loadedDatabase();

    const result = await commissioner(['import', files.exclusions, '--school', SCHOOL.laestab], {
      databaseUrl: database.url,
    });

    expect(result.code).toBe(1);
    expect(result.stdout.match(/Error: .*academic year/g)).toHaveLength(1);
    expect(result.stdout).toContain('Give the academic year with --year, for example --year 2024');
  });

  it('gives a CTF no --year advice', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });
    const empty = join(folder, 'empty.xml');
    const truncated = join(folder, 'truncated.xml');
    writeFileSync(empty, '');
    writeFileSync(truncated, readFileSync(files.ctf, 'utf8').slice(0, 3000));

    for (const file of [empty, truncated]) {
      const result = await commissioner(['import', file, '--school', SCHOOL.laestab], {
        databaseUrl: database.url,
      });

      expect(result.code, file).toBe(1);
      expect(result.stdout, file).toContain('Nothing was loaded');
      expect(result.stdout, file).not.toContain('--year');
    }
  });

  it('dry run needs other-school confirmation', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', '8014009', '--name', 'Hillside School'], {
      databaseUrl: database.url,
    });

    const unconfirmed = await commissioner(
      ['import', files.ctf, '--school', '8014009', '--dry-run'],
      { databaseUrl: database.url },
    );
    const confirmed = await commissioner(
      ['import', files.ctf, '--school', '8014009', '--dry-run', '--confirm-other-school'],
      { databaseUrl: database.url },
    );

    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stdout).toContain('Loading the file would be refused');
    expect(unconfirmed.stdout).toContain('run the command again with --confirm-other-school');
    expect(unconfirmed.stdout).not.toContain('Run the same command without --dry-run');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('Run the same command without --dry-run');
  });

  it('--map chooses columns', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });
    const file = writeCsv('odd-headers.csv', [
      'Unique Pupil No.,Family,Given,Notes',
      ...upns.map((upn, index) => `${upn},Surname${index},Given${index},note`),
    ]);
    const map = ['--map', 'Unique Pupil No.=UPN', '--map', 'Family=legal surname'];

    const unmapped = await commissioner(
      ['import', file, '--school', SCHOOL.laestab, '--year', '2025', '--dry-run'],
      { databaseUrl: database.url },
    );
    const mapped = await commissioner(
      [
        'import',
        file,
        '--school',
        SCHOOL.laestab,
        '--year',
        '2025',
        '--dry-run',
        ...map,
        '--map',
        'Given=LegalForename',
        '--map',
        'Notes=',
      ],
      { databaseUrl: database.url },
    );

    expect(unmapped.code).toBe(1);
    expect(unmapped.stdout).toContain(
      "Choose the column for UPN, Legal surname and Legal forename with --map, for example --map 'Unique Pupil No.=UPN'",
    );
    expect(unmapped.stdout).not.toMatch(/legalSurname|legalForename/);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toContain('Columns: 3 of 4 used');
    expect(mapped.stdout).toContain('  Unique Pupil No.: UPN');
    expect(mapped.stdout).toContain('  Given: Legal forename');
    expect(mapped.stdout).toContain('  Notes: not used');
    expect(mapped.stdout).toContain(`Pupils: ${upns.length} (${upns.length} new`);
  });

  it('--map rejects an unknown field', async () => {
    const result = await commissioner(
      ['import', files.exclusions, '--school', SCHOOL.laestab, '--map', 'Category=Nickname'],
      { databaseUrl: freshDatabase().url },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('names the field "Nickname", which a column cannot fill');
    expect(result.stderr).toContain('Legal surname');
  });

  it('words problems for the user', async () => {
    const database = freshDatabase();
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });
    const file = writeCsv('future.csv', [
      'UPN,Surname,Forename,DOB',
      `${upns[0]},Smith,Amelia,08/05/2099`,
    ]);
    const large = writeCsv('large.csv', [
      'UPN,Surname,Forename',
      ...Array.from({ length: 80 }, () => `${upns[0]},Smith,Amelia`),
    ]);

    const future = await commissioner(
      ['import', file, '--school', SCHOOL.laestab, '--year', '2025', '--dry-run'],
      { databaseUrl: database.url },
    );
    const oversize = await commissioner(
      ['import', large, '--school', SCHOOL.laestab, '--year', '2025', '--dry-run'],
      { databaseUrl: database.url, env: { MAX_UPLOAD_BYTES: '1024' } },
    );

    expect(future.stdout).toContain('DOB: 8 May 2099 is in the future.');
    expect(oversize.stdout).toContain('over the 1 KB limit for uploads');
    expect(oversize.stdout).toContain('Export fewer pupils or fewer columns.');
    expect(oversize.stdout).not.toContain('save it as CSV');
  });

  it('rejects a missing file', async () => {
    const result = await commissioner(['import', 'no-such-file.xml', '--school', SCHOOL.laestab], {
      databaseUrl: freshDatabase().url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`File not found: ${join(folder, 'no-such-file.xml')}`);
  });

  it('rejects an unknown school', async () => {
    const result = await commissioner(['import', files.ctf, '--school', '1234567'], {
      databaseUrl: freshDatabase().url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No school with LAESTAB 1234567');
    expect(result.stderr).toContain('commissioner school add --laestab 1234567');
  });

  it('rejects an invalid academic year', async () => {
    const result = await commissioner(
      ['import', files.ctf, '--school', SCHOOL.laestab, '--year', '2024/26'],
      { databaseUrl: freshDatabase().url },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--year "2024/26" is not an academic year');
  });

  it('resolves file from working folder', async () => {
    const database = freshDatabase();
    const subfolder = join(folder, 'nested', 'deeper');
    mkdirSync(subfolder, { recursive: true });
    await commissioner(['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name], {
      databaseUrl: database.url,
    });

    const result = await commissioner(
      ['import', '../../oakfield.xml', '--school', SCHOOL.laestab, '--dry-run'],
      {
        databaseUrl: database.url,
        cwd: subfolder,
      },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Preview of oakfield.xml');
  });
});

describe('commissioner gaps', () => {
  let loaded: { url: string; path: string };

  beforeAll(async () => {
    loaded = await loadedDatabase();
  });

  it('prints the analysis as JSON', async () => {
    const result = await commissioner(
      ['gaps', '--school', SCHOOL.laestab, '--year', '2025', '--format', 'json'],
      { databaseUrl: loaded.url },
    );

    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      academicYear: number;
      pupils: number;
      school: { laestab: string };
      rows: GapTableRow[];
    };
    expect(output.academicYear).toBe(2025);
    expect(output.pupils).toBe(120);
    expect(output.school.laestab).toBe(SCHOOL.laestab);
    const absence = output.rows.find(
      (row) => row.group === 'disadvantaged' && row.measure === 'persistent_absence',
    );
    expect(absence).toMatchObject({ suppressed: false, unit: 'proportion', reason: null });
    expect(absence!.n + absence!.nRest).toBe(120);
    expect(absence!.ciLow).toBeLessThan(absence!.gap!);
    expect(absence!.ciHigh).toBeGreaterThan(absence!.gap!);
  });

  it('prints the analysis as CSV', async () => {
    const result = await commissioner(
      ['gaps', '--school', SCHOOL.laestab, '--year', '2025/26', '--format', 'csv'],
      { databaseUrl: loaded.url },
    );

    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.split('\r\n').filter((line) => line !== '');
    expect(`${header}\r\n`).toBe(toCsv([GAP_TABLE_COLUMNS.map((column) => column.header)]));
    expect(rows.some((row) => row.startsWith('disadvantaged,'))).toBe(true);
  });

  it('defaults to the latest year', async () => {
    const result = await commissioner(['gaps', '--school', SCHOOL.laestab], {
      databaseUrl: loaded.url,
    });

    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { academicYear: number }).academicYear).toBe(2025);
  });

  it('rejects a year without records', async () => {
    const result = await commissioner(['gaps', '--school', SCHOOL.laestab, '--year', '2019'], {
      databaseUrl: loaded.url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no pupil records for 2019/20. Years with records: 2025/26');
  });

  it('rejects an unknown format', async () => {
    const result = await commissioner(['gaps', '--school', SCHOOL.laestab, '--format', 'xml'], {
      databaseUrl: loaded.url,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--format "xml" is not supported');
  });

  it('rejects an unknown school', async () => {
    const result = await commissioner(['gaps', '--school', '7654321'], { databaseUrl: loaded.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No school with LAESTAB 7654321');
  });
});

describe('commissioner demo', () => {
  it('writes demo files to folder', async () => {
    const out = join(folder, 'demo-files');

    const result = await commissioner(['demo', '--out', out, '--pupils', '50', '--year', '2024'], {
      databaseUrl: freshDatabase().url,
    });

    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'oakfield-demo-attendance.csv',
      'oakfield-demo-ctf.xml',
      'oakfield-demo-exclusions.csv',
    ]);
  });

  it('adds the demo school once', async () => {
    const database = freshDatabase();

    const first = await commissioner(['demo'], { databaseUrl: database.url });
    const second = await commissioner(['demo'], { databaseUrl: database.url });

    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Added Oakfield Secondary School (demo), LAESTAB 9999001, with 1000 pupils',
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already in the database; nothing was changed');
    expect(tableCounts(database.path)).toMatchObject({
      organisations: 1,
      imports: 2,
      pupils: 1000,
    });
  });
});

describe('web server start-up', () => {
  it('reports a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;

    try {
      const result = await webServer({
        PORT: String(port),
        DATABASE_URL: `sqlite:${freshDatabase().path}`,
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Commissioner did not start: 127.0.0.1 port ${port} is already in use, perhaps by another copy of Commissioner. Stop that program, or set PORT to a free port, for example PORT=3001.\n`,
      );
      expect(result.stdout).not.toContain('EADDRINUSE');
      expect(result.stdout).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('reports an invalid setting', async () => {
    const result = await webServer({
      PORT: 'abc',
      DATABASE_URL: `sqlite:${freshDatabase().path}`,
    });

    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^Commissioner did not start: Invalid configuration .*PORT: /);
    expect(result.stderr).toContain('(got "abc")');
    expect(result.stderr).toContain('Correct each variable named, or unset it');
    expect(result.stderr).not.toMatch(/\s+at /);
  });
});

describe('commissioner on PostgreSQL', () => {
  const name = `commissioner_cli_${process.pid}_${Date.now()}`;
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('school, import and gaps work', async () => {
    const databaseUrl = url.toString();

    const added = await commissioner(
      ['school', 'add', '--laestab', SCHOOL.laestab, '--name', SCHOOL.name],
      { databaseUrl },
    );
    const dryRun = await commissioner(
      ['import', files.ctf, '--school', SCHOOL.laestab, '--dry-run'],
      { databaseUrl },
    );
    const imported = await commissioner(['import', files.ctf, '--school', SCHOOL.laestab], {
      databaseUrl,
    });
    const gaps = await commissioner(['gaps', '--school', SCHOOL.laestab, '--format', 'json'], {
      databaseUrl,
    });

    expect(added.code).toBe(0);
    expect(dryRun.code).toBe(0);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Loaded import \d+ into/);
    expect(gaps.code).toBe(0);
    expect((JSON.parse(gaps.stdout) as { pupils: number }).pupils).toBe(120);
  });
});
