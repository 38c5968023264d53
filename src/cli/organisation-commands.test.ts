import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/commissioner.js', import.meta.url));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let folder: string;
let databaseNumber = 0;

/** Runs the real command line on a SQLite file, as a person at a terminal would. */
function commissioner(args: string[], databasePath: string): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `sqlite:${databasePath}` };
  delete env.LOG_LEVEL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: folder, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freshDatabase(): string {
  databaseNumber += 1;
  return join(folder, `organisations-${databaseNumber}.sqlite`);
}

function organisations(path: string): unknown[] {
  const database = new SQLite(path, { readonly: true });
  try {
    return database
      .prepare('SELECT id, kind, name, laestab, parent_id FROM organisations ORDER BY id')
      .all();
  } finally {
    database.close();
  }
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'commissioner-organisations-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('commissioner organisation', { timeout: 60_000 }, () => {
  it('has help', async () => {
    for (const command of [
      ['organisation', 'add'],
      ['organisation', 'list'],
    ]) {
      const result = await commissioner([...command, '--help'], freshDatabase());

      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: commissioner ${command.join(' ')}`);
    }
  });

  it('adds each kind', async () => {
    const path = freshDatabase();

    const results = [
      await commissioner(
        ['organisation', 'add', '--kind', 'trust', '--name', 'Aspire Trust'],
        path,
      ),
      await commissioner(
        ['organisation', 'add', '--kind', 'local-authority', '--name', 'Northshire Council'],
        path,
      ),
      await commissioner(['organisation', 'add', '--kind', 'provider', '--name', 'Read On'], path),
      await commissioner(
        [
          'organisation',
          'add',
          '--kind',
          'school',
          '--name',
          'Brookfield',
          '--laestab',
          '801/4001',
        ],
        path,
      ),
    ];

    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
    expect(results[0]!.stdout).toBe('Added trust Aspire Trust (organisation 1).\n');
    expect(results[3]!.stdout).toBe('Added school Brookfield, LAESTAB 8014001 (organisation 4).\n');
    expect(organisations(path)).toEqual([
      { id: 1, kind: 'trust', name: 'Aspire Trust', laestab: null, parent_id: null },
      {
        id: 2,
        kind: 'local_authority',
        name: 'Northshire Council',
        laestab: null,
        parent_id: null,
      },
      { id: 3, kind: 'provider', name: 'Read On', laestab: null, parent_id: null },
      { id: 4, kind: 'school', name: 'Brookfield', laestab: '8014001', parent_id: null },
    ]);
  });

  it('puts a school in a trust', async () => {
    const path = freshDatabase();
    await commissioner(['organisation', 'add', '--kind', 'trust', '--name', 'Aspire Trust'], path);

    const added = await commissioner(
      [
        'organisation',
        'add',
        '--kind',
        'school',
        '--name',
        'Brookfield',
        '--laestab',
        '8014001',
        '--parent',
        '1',
      ],
      path,
    );
    const listed = await commissioner(['organisation', 'list'], path);

    expect(added.stdout).toBe(
      'Added school Brookfield, LAESTAB 8014001, in Aspire Trust (organisation 2).\n',
    );
    expect(listed.stdout).toBe(
      '1  trust  Aspire Trust\n2  school  Brookfield  LAESTAB 8014001  in Aspire Trust\n',
    );
  });

  it.each([
    [['--kind', 'club', '--name', 'X'], '--kind "club" is not a kind of organisation'],
    [['--name', 'X'], '--kind is missing'],
    [['--kind', 'trust'], '--name is missing'],
    [
      ['--kind', 'trust', '--name', 'T', '--laestab', '8014001'],
      '--laestab only applies to schools',
    ],
    [['--kind', 'school', '--name', 'S'], '--laestab is missing'],
    [
      ['--kind', 'school', '--name', 'S', '--laestab', '8014001', '--parent', '99'],
      '--parent 99: no such organisation',
    ],
    [
      ['--kind', 'school', '--name', 'S', '--laestab', '8014001', '--parent', 'Aspire'],
      'is neither an organisation id nor a LAESTAB',
    ],
  ])('rejects %j', async (options, message) => {
    const path = freshDatabase();

    const result = await commissioner(['organisation', 'add', ...options], path);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('rejects a school as parent', async () => {
    const path = freshDatabase();
    await commissioner(['school', 'add', '--laestab', '8014001', '--name', 'Brookfield'], path);

    const result = await commissioner(
      [
        'organisation',
        'add',
        '--kind',
        'school',
        '--name',
        'S',
        '--laestab',
        '8014002',
        '--parent',
        '8014001',
      ],
      path,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--parent 8014001 is a school');
    expect(organisations(path)).toHaveLength(1);
  });

  it('lists nothing helpfully', async () => {
    const result = await commissioner(['organisation', 'list'], freshDatabase());

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No organisations yet');
  });
});
