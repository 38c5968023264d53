import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../platform/auth/passwords.js';
import { createSession, useSession } from '../platform/auth/session-store.js';
import { findUserByEmail, loadCurrentUser } from '../platform/auth/user-store.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.js';

const BIN = fileURLToPath(new URL('../../bin/commissioner.js', import.meta.url));
const POLICY = { idleMinutes: 60, maxHours: 12 };

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let folder: string;
let databaseNumber = 0;
let path: string;
let database: DatabaseHandle | undefined;

/** Runs the real command line on the test's SQLite file, with `input` on standard input. */
function commissioner(args: string[], input = ''): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `sqlite:${path}` };
  delete env.LOG_LEVEL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: folder, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the test's database in this process, after the command line has created it. */
function openTestDatabase(): DatabaseHandle {
  database ??= openDatabase(`sqlite:${path}`);
  return database;
}

function oneTimePassword(stdout: string): string {
  const password = /^One-time password: (\S+)$/m.exec(stdout)?.[1];
  if (!password) throw new Error(`No one-time password in: ${stdout}`);
  return password;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'commissioner-users-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  databaseNumber += 1;
  path = join(folder, `users-${databaseNumber}.sqlite`);
  await commissioner(['organisation', 'add', '--kind', 'trust', '--name', 'Aspire Trust']);
  await commissioner([
    'organisation',
    'add',
    '--kind',
    'school',
    '--name',
    'Brookfield Academy',
    '--laestab',
    '8014001',
    '--parent',
    '1',
  ]);
});

afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe('commissioner user and admin', { timeout: 60_000 }, () => {
  it('have help', async () => {
    for (const command of [
      ['user', 'add'],
      ['user', 'reset-password'],
      ['user', 'disable'],
      ['user', 'list'],
      ['admin', 'create'],
    ]) {
      const result = await commissioner([...command, '--help']);

      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: commissioner ${command.join(' ')}`);
    }
  });

  it('creates a user with a one-time password', async () => {
    const result = await commissioner([
      'user',
      'add',
      '--email',
      'Jo.Bloggs@Brookfield.example',
      '--name',
      'Jo Bloggs',
      '--organisation',
      '801/4001',
      '--role',
      'senior-leader',
    ]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Created an account for Jo.Bloggs@Brookfield.example with the role senior-leader in school Brookfield Academy (organisation 2).',
    );
    const password = oneTimePassword(result.stdout);
    expect(password).toMatch(/^[A-Za-z2-9]{20}$/);
    const { db } = openTestDatabase();
    const account = await findUserByEmail(db, 'jo.bloggs@brookfield.example');
    expect(await verifyPassword(account!.passwordHash!, password)).toBe(true);
    const current = await loadCurrentUser(db, account!.id);
    expect(current?.memberships).toEqual([
      {
        organisationId: 2,
        organisationKind: 'school',
        organisationName: 'Brookfield Academy',
        role: 'senior_leader',
      },
    ]);
    const audit = await db.selectFrom('audit_events').selectAll().execute();
    expect(audit.map((row) => [row.action, row.organisation_id, row.subject_id])).toEqual([
      ['user-created', 2, String(account!.id)],
    ]);
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('reads the password from stdin', async () => {
    const result = await commissioner(
      [
        'user',
        'add',
        '--email',
        'kim@brookfield.example',
        '--name',
        'Kim',
        '--organisation',
        '2',
        '--role',
        'staff',
        '--password-stdin',
      ],
      'river kettle meadow\n',
    );

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('One-time password');
    const account = await findUserByEmail(openTestDatabase().db, 'kim@brookfield.example');
    expect(await verifyPassword(account!.passwordHash!, 'river kettle meadow')).toBe(true);
  });

  it('applies password rules to stdin', async () => {
    const result = await commissioner(
      [
        'user',
        'add',
        '--email',
        'kim@brookfield.example',
        '--name',
        'Kim',
        '--organisation',
        '2',
        '--role',
        'staff',
        '--password-stdin',
      ],
      'password1234\n',
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('one of the most used passwords');
    expect(await findUserByEmail(openTestDatabase().db, 'kim@brookfield.example')).toBeUndefined();
  });

  it('adds a role to an existing account', async () => {
    await commissioner([
      'user',
      'add',
      '--email',
      'jo@brookfield.example',
      '--name',
      'Jo',
      '--organisation',
      '8014001',
      '--role',
      'governor',
    ]);

    const result = await commissioner([
      'user',
      'add',
      '--email',
      'JO@brookfield.example',
      '--name',
      'Jo',
      '--organisation',
      '1',
      '--role',
      'governor',
    ]);
    const listed = await commissioner(['user', 'list']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Gave the existing account jo@brookfield.example the role');
    expect(result.stdout).not.toContain('One-time password');
    expect(listed.stdout).toBe(
      'jo@brookfield.example  Jo  governor in Aspire Trust; governor in Brookfield Academy\n',
    );
  });

  it.each([
    [['--role', 'staff', '--organisation', '1'], 'The role staff does not fit a trust'],
    [['--role', 'head', '--organisation', '2'], '--role "head" is not a role'],
    [['--role', 'staff', '--organisation', '9999999'], '--organisation 9999999: no such school'],
    [['--role', 'staff'], '--organisation is missing'],
  ])('rejects %j', async (options, message) => {
    const result = await commissioner([
      'user',
      'add',
      '--email',
      'kim@brookfield.example',
      '--name',
      'Kim',
      ...options,
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('creates the first administrator', async () => {
    const result = await commissioner([
      'admin',
      'create',
      '--email',
      'ada@aspire.example',
      '--name',
      'Ada Admin',
      '--organisation',
      '1',
    ]);
    const listed = await commissioner(['user', 'list', '--organisation', '1']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('with the role administrator in trust Aspire Trust');
    oneTimePassword(result.stdout);
    expect(listed.stdout).toBe('ada@aspire.example  Ada Admin  administrator\n');
  });

  it('reset revokes sessions', async () => {
    const added = await commissioner([
      'user',
      'add',
      '--email',
      'jo@brookfield.example',
      '--name',
      'Jo',
      '--organisation',
      '2',
      '--role',
      'staff',
    ]);
    const oldPassword = oneTimePassword(added.stdout);
    const { db } = openTestDatabase();
    const account = await findUserByEmail(db, 'jo@brookfield.example');
    const session = await createSession(db, account!.id, POLICY);

    const result = await commissioner([
      'user',
      'reset-password',
      '--email',
      'Jo@Brookfield.example',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Set a new password for jo@brookfield.example and ended 1 session.',
    );
    const newPassword = oneTimePassword(result.stdout);
    expect(newPassword).not.toBe(oldPassword);
    const updated = await findUserByEmail(db, 'jo@brookfield.example');
    expect(await verifyPassword(updated!.passwordHash!, newPassword)).toBe(true);
    expect(await verifyPassword(updated!.passwordHash!, oldPassword)).toBe(false);
    expect(await useSession(db, session.token, POLICY)).toBeNull();
    const actions = await db.selectFrom('audit_events').select('action').orderBy('id').execute();
    expect(actions.map((row) => row.action)).toEqual(['user-created', 'password-reset']);
  });

  it('disable ends sessions', async () => {
    await commissioner([
      'user',
      'add',
      '--email',
      'jo@brookfield.example',
      '--name',
      'Jo',
      '--organisation',
      '2',
      '--role',
      'staff',
    ]);
    const { db } = openTestDatabase();
    const account = await findUserByEmail(db, 'jo@brookfield.example');
    const session = await createSession(db, account!.id, POLICY);

    const result = await commissioner(['user', 'disable', '--email', 'jo@brookfield.example']);
    const listed = await commissioner(['user', 'list']);

    expect(result.code).toBe(0);
    expect(await useSession(db, session.token, POLICY)).toBeNull();
    expect(await loadCurrentUser(db, account!.id)).toBeNull();
    expect(listed.stdout).toBe(
      'jo@brookfield.example  Jo  (disabled)  staff in Brookfield Academy\n',
    );
  });

  it('rejects an unknown account', async () => {
    const result = await commissioner(['user', 'reset-password', '--email', 'nobody@example.org']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No account has the email address nobody@example.org');
  });

  it('lists no accounts helpfully', async () => {
    const result = await commissioner(['user', 'list']);

    expect(result.stdout).toContain(
      'No accounts yet. Create the first with: commissioner admin create',
    );
  });
});
