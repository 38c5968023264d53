/**
 * `commissioner user …` and `commissioner admin create`, with which the people who run the
 * server manage the accounts of the people who sign in. Passwords are printed once or read
 * from standard input, and never logged.
 */
import { parseArgs } from 'node:util';
import { recordAuditEvent } from '../platform/audit/audit-store.js';
import { checkNewPassword } from '../platform/auth/password-rules.js';
import { generateOneTimePassword } from '../platform/auth/passwords.js';
import { ROLES, isRole, type Role } from '../platform/auth/permissions.js';
import { revokeUserSessions } from '../platform/auth/session-store.js';
import { clearAccountFailures } from '../platform/auth/sign-in-throttle.js';
import {
  UserInputError,
  addMembership,
  createUser,
  disableUser,
  emailLookupKey,
  findUserByEmail,
  listOrganisationUsers,
  setPassword,
} from '../platform/auth/user-store.js';
import type { OrganisationKind, OrganisationRow } from '../platform/db/schema.js';
import { openCliDatabase, type CliDatabase } from './cli-database.js';
import {
  CliError,
  parseCommandArgs,
  rejectExtraArguments,
  type CliIo,
  type ExitCode,
} from './cli-support.js';
import { KIND_LABELS, findOrganisationByReference } from './organisation-commands.js';

/** Roles that make sense in each kind of organisation. An administrator fits in any. */
const ROLES_BY_KIND: Readonly<Record<OrganisationKind, readonly Role[]>> = {
  school: ['senior_leader', 'staff', 'governor', 'administrator'],
  trust: ['trust_officer', 'governor', 'administrator'],
  local_authority: ['local_authority_officer', 'administrator'],
  provider: ['provider', 'administrator'],
};

const ROLE_NAMES = ROLES.map((role) => role.replaceAll('_', '-')).join(', ');

const PASSWORD_OPTIONS_HELP = `  --password-stdin   Read the password from standard input instead of generating one; one
                     line ending is removed. It must meet the password rules: 12 characters
                     or more, not a common password, not containing the email address`;

export const USER_HELP = `Usage: commissioner user <command> [options]

Commands:
  add             Create an account, or give an existing account a role in an organisation
  reset-password  Set a new password for an account and sign it out everywhere
  disable         Stop an account from signing in and sign it out everywhere
  list            List accounts with their organisations and roles

Run "commissioner user <command> --help" for the options of a command.
`;

export const USER_ADD_HELP = `Usage: commissioner user add --email EMAIL --name NAME --organisation REF --role ROLE [--password-stdin]

Creates an account with a role in one organisation and prints a one-time password to give to
the person, who changes it under "Your account" after signing in. When an account with that
email address exists, it gets the role in the organisation and keeps its password.

Options:
  --email EMAIL      The person's email address, which they sign in with
  --name NAME        Their name as the header shows it, in quotes if it has spaces
  --organisation REF Organisation id, or a school's LAESTAB (see "commissioner organisation list")
  --role ROLE        One of: ${ROLE_NAMES}
                     Schools: senior-leader, staff, governor. Trusts: trust-officer,
                     governor. Local authorities: local-authority-officer. Providers:
                     provider. Administrator fits any organisation.
${PASSWORD_OPTIONS_HELP}
  -h, --help         Show this help
`;

export const ADMIN_HELP = `Usage: commissioner admin create --email EMAIL --name NAME --organisation REF [--password-stdin]

Creates the first administrator of an organisation, who can then invite people and manage
their access in the web app. There is no administrator of the whole service: an administrator
manages people in the one organisation given here, so run this once for each trust, local
authority or school that manages its own people.

Options:
  --email EMAIL      The administrator's email address
  --name NAME        Their name, in quotes if it has spaces
  --organisation REF Organisation id, or a school's LAESTAB (see "commissioner organisation list")
${PASSWORD_OPTIONS_HELP}
  -h, --help         Show this help
`;

export const USER_RESET_PASSWORD_HELP = `Usage: commissioner user reset-password --email EMAIL [--password-stdin]

Sets a new password for an account, prints it once, and ends every session of the account,
so it is signed out on every device. Use it when someone has forgotten their password or may
have given it away.

Options:
  --email EMAIL      The account's email address, in any letter case
${PASSWORD_OPTIONS_HELP}
  -h, --help         Show this help
`;

export const USER_DISABLE_HELP = `Usage: commissioner user disable --email EMAIL

Stops an account from signing in and ends every session of it. Its name stays in the audit
trail.

Options:
  --email EMAIL  The account's email address, in any letter case
  -h, --help     Show this help
`;

export const USER_LIST_HELP = `Usage: commissioner user list [--organisation REF]

Lists accounts: email address, name, and role in each organisation. Disabled accounts are
marked.

Options:
  --organisation REF  Only the members of this organisation: its id, or a school's LAESTAB
  -h, --help          Show this help
`;

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

export async function runUserCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || HELP_FLAGS.has(subcommand)) {
    io.stdout.write(USER_HELP);
    return subcommand === undefined ? 1 : 0;
  }
  if (subcommand === 'add') return addUser(rest, io, 'user add');
  if (subcommand === 'reset-password') return resetPassword(rest, io);
  if (subcommand === 'disable') return disableAccount(rest, io);
  if (subcommand === 'list') return listUsers(rest, io);
  throw new CliError(
    `"${subcommand}" is not a user command. Use add, reset-password, disable or list: see "commissioner user --help"`,
  );
}

export async function runAdminCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || HELP_FLAGS.has(subcommand)) {
    io.stdout.write(ADMIN_HELP);
    return subcommand === undefined ? 1 : 0;
  }
  if (subcommand === 'create') return addUser(rest, io, 'admin create');
  throw new CliError(`"${subcommand}" is not an admin command. Use "commissioner admin create"`);
}

async function addUser(
  args: string[],
  io: CliIo,
  command: 'user add' | 'admin create',
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(command, () =>
    parseArgs({
      args,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        organisation: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(command === 'user add' ? USER_ADD_HELP : ADMIN_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, command);
  if (command === 'admin create' && values.role !== undefined) {
    throw new CliError(
      '--role does not apply: "commissioner admin create" always gives the administrator role',
    );
  }

  const email = readEmail(values.email);
  const name = values.name?.trim();
  if (!name) {
    throw new CliError(
      '--name is missing: give the person\'s name, for example --name "Jo Bloggs"',
    );
  }
  const role = command === 'admin create' ? 'administrator' : readRole(values.role);
  const typedPassword = values['password-stdin'] ? await readPasswordFromStdin(email) : null;

  const database = await openCliDatabase(io);
  try {
    const organisation = await findOrganisationByReference(
      database.db,
      values.organisation,
      '--organisation',
    );
    checkRoleFits(role, organisation);

    const existing = await findUserByEmail(database.db, email);
    if (existing && typedPassword !== null) {
      throw new CliError(
        `An account for ${existing.email} already exists, so --password-stdin does not apply. Leave it out to add the role only, or use "commissioner user reset-password"`,
      );
    }
    const password = typedPassword ?? (existing ? null : generateOneTimePassword());

    const userId = await database.db.transaction().execute(async (trx) => {
      const account =
        existing ??
        (await createUser(trx, { email, displayName: name, password: password ?? undefined }));
      await addMembership(trx, { userId: account.id, organisationId: organisation.id, role });
      await recordAuditEvent(trx, {
        action: 'user-created',
        userId: null,
        organisationId: organisation.id,
        subjectType: 'user',
        subjectId: account.id,
        details: { role, newAccount: existing === undefined, source: 'command line' },
      });
      return account.id;
    });

    database.log.info({ userId, organisationId: organisation.id, role }, 'membership added');
    const where = `${KIND_LABELS[organisation.kind]} ${organisation.name} (organisation ${organisation.id})`;
    if (existing) {
      io.stdout.write(
        `Gave the existing account ${existing.email} the role ${roleName(role)} in ${where}. Its password is unchanged.\n`,
      );
      return 0;
    }
    io.stdout.write(
      `Created an account for ${email} with the role ${roleName(role)} in ${where}.\n`,
    );
    if (typedPassword === null) writeOneTimePassword(io, password!);
    return 0;
  } catch (error) {
    if (error instanceof UserInputError) throw new CliError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

async function resetPassword(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('user reset-password', () =>
    parseArgs({
      args,
      options: {
        email: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(USER_RESET_PASSWORD_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'user reset-password');
  const email = readEmail(values.email);
  const typedPassword = values['password-stdin'] ? await readPasswordFromStdin(email) : null;

  const database = await openCliDatabase(io);
  try {
    const account = await requireAccount(database, email);
    const password = typedPassword ?? generateOneTimePassword();
    const revoked = await database.db.transaction().execute(async (trx) => {
      await setPassword(trx, account.id, password);
      await clearAccountFailures(trx, emailLookupKey(account.email));
      const count = await revokeUserSessions(trx, account.id);
      await recordAuditEvent(trx, {
        action: 'password-reset',
        userId: null,
        organisationId: null,
        subjectType: 'user',
        subjectId: account.id,
        details: { sessionsRevoked: count, source: 'command line' },
      });
      return count;
    });

    database.log.info({ userId: account.id, sessionsRevoked: revoked }, 'password reset');
    io.stdout.write(
      `Set a new password for ${account.email} and ended ${revoked} ${revoked === 1 ? 'session' : 'sessions'}.\n`,
    );
    if (account.disabledAt !== null) {
      io.stdout.write('The account is disabled, so it still cannot sign in.\n');
    }
    if (typedPassword === null) writeOneTimePassword(io, password);
    return 0;
  } finally {
    await database.close();
  }
}

async function disableAccount(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('user disable', () =>
    parseArgs({
      args,
      options: { email: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(USER_DISABLE_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'user disable');
  const email = readEmail(values.email);

  const database = await openCliDatabase(io);
  try {
    const account = await requireAccount(database, email);
    await database.db.transaction().execute(async (trx) => {
      await disableUser(trx, account.id);
      await recordAuditEvent(trx, {
        action: 'access-removed',
        userId: null,
        organisationId: null,
        subjectType: 'user',
        subjectId: account.id,
        details: { accountDisabled: true, source: 'command line' },
      });
    });
    database.log.info({ userId: account.id }, 'account disabled');
    io.stdout.write(`Disabled ${account.email}: it cannot sign in, and its sessions have ended.\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function listUsers(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('user list', () =>
    parseArgs({
      args,
      options: { organisation: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(USER_LIST_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'user list');

  const database = await openCliDatabase(io);
  try {
    if (values.organisation !== undefined) {
      const organisation = await findOrganisationByReference(
        database.db,
        values.organisation,
        '--organisation',
      );
      const members = await listOrganisationUsers(database.db, organisation.id);
      if (members.length === 0) io.stdout.write(`No one belongs to ${organisation.name} yet.\n`);
      for (const member of members) {
        const disabled = member.disabled ? '  (disabled)' : '';
        io.stdout.write(
          `${member.email}  ${member.displayName}  ${roleName(member.role)}${disabled}\n`,
        );
      }
      return 0;
    }

    const rows = await database.db
      .selectFrom('users')
      .leftJoin('memberships', 'memberships.user_id', 'users.id')
      .leftJoin('organisations', 'organisations.id', 'memberships.organisation_id')
      .select([
        'users.id',
        'users.email',
        'users.display_name',
        'users.disabled_at',
        'memberships.role',
        'organisations.name as organisation_name',
      ])
      .orderBy('users.email_lookup')
      .orderBy('organisations.name')
      .execute();
    if (rows.length === 0) {
      io.stdout.write(
        'No accounts yet. Create the first with: commissioner admin create --email EMAIL --name NAME --organisation REF\n',
      );
      return 0;
    }
    const accounts = new Map<number, { line: string; roles: string[] }>();
    for (const row of rows) {
      const disabled = row.disabled_at === null ? '' : '  (disabled)';
      const account = accounts.get(row.id) ?? {
        line: `${row.email}  ${row.display_name}${disabled}`,
        roles: [],
      };
      if (row.role !== null && row.organisation_name !== null) {
        account.roles.push(`${roleName(row.role)} in ${row.organisation_name}`);
      }
      accounts.set(row.id, account);
    }
    for (const { line, roles } of accounts.values()) {
      io.stdout.write(`${line}  ${roles.length > 0 ? roles.join('; ') : 'no organisation'}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function requireAccount(
  database: CliDatabase,
  email: string,
): Promise<NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>> {
  const account = await findUserByEmail(database.db, email);
  if (!account) {
    throw new CliError(
      `No account has the email address ${email}. See "commissioner user list" for the accounts`,
    );
  }
  return account;
}

function readEmail(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new CliError(
      '--email is missing: give the email address, for example --email jo@example.org',
    );
  }
  return value;
}

/** Reads a role as written in the help (`senior-leader`) or as stored (`senior_leader`). */
function readRole(value: string | undefined): Role {
  if (value === undefined) throw new CliError(`--role is missing: give one of ${ROLE_NAMES}`);
  const role = value.trim().toLowerCase().replaceAll('-', '_');
  if (!isRole(role))
    throw new CliError(`--role "${value}" is not a role: use one of ${ROLE_NAMES}`);
  return role;
}

function roleName(role: string): string {
  return role.replaceAll('_', '-');
}

function checkRoleFits(role: Role, organisation: OrganisationRow): void {
  const fitting = ROLES_BY_KIND[organisation.kind];
  if (!fitting.includes(role)) {
    throw new CliError(
      `The role ${roleName(role)} does not fit a ${KIND_LABELS[organisation.kind]}: in ${organisation.name} use one of ${fitting.map(roleName).join(', ')}`,
    );
  }
}

/**
 * Reads a password from standard input and checks it against the password rules. One line
 * ending at the end is removed, because `echo` and most files add one.
 */
async function readPasswordFromStdin(email: string): Promise<string> {
  // CliIo carries no input stream: passwords are the only thing a command reads from stdin.
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  const problem = checkNewPassword(password, { email });
  if (problem !== null)
    throw new CliError(`The password from standard input is not accepted. ${problem}`);
  return password;
}

function writeOneTimePassword(io: CliIo, password: string): void {
  io.stdout.write(
    `One-time password: ${password}\n` +
      'Give it to the person face to face or by phone, not by email, and ask them to change it under "Your account" after they sign in. It is not shown again.\n',
  );
}
