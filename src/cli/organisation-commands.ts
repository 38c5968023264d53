/**
 * `commissioner organisation add` and `commissioner organisation list`: the trusts, local
 * authorities, providers and schools that people belong to.
 */
import { parseArgs } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OrganisationKind, OrganisationRow } from '../platform/db/schema.js';
import {
  SCHOOL_PHASES,
  SchoolInputError,
  createSchool,
} from '../platform/organisations/organisation-store.js';
import { openCliDatabase } from './cli-database.js';
import {
  CliError,
  parseCommandArgs,
  readLaestab,
  rejectExtraArguments,
  type CliIo,
  type ExitCode,
} from './cli-support.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Kinds as typed on the command line, and the kind each one stores. */
const KIND_OPTIONS: Readonly<Record<string, OrganisationKind>> = {
  school: 'school',
  trust: 'trust',
  'local-authority': 'local_authority',
  provider: 'provider',
};

export const KIND_LABELS: Readonly<Record<OrganisationKind, string>> = {
  school: 'school',
  trust: 'trust',
  local_authority: 'local authority',
  provider: 'provider',
};

export const ORGANISATION_HELP = `Usage: commissioner organisation <command> [options]

Commands:
  add     Add a trust, local authority, provider or school
  list    List every organisation with its id, kind and parent

Run "commissioner organisation <command> --help" for the options of a command.
`;

export const ORGANISATION_ADD_HELP = `Usage: commissioner organisation add --kind KIND --name NAME [options]

Adds an organisation that people can belong to. Trust and local-authority officers see the
schools whose parent is their trust or local authority.

Options:
  --kind KIND        One of: ${Object.keys(KIND_OPTIONS).join(', ')}
  --name NAME        The organisation's name, in quotes if it has spaces
  --laestab LAESTAB  Schools only, and required for them: LA number and establishment
                     number, 7 digits, for example 8014001
  --urn URN          Schools only: unique reference number, 6 digits
  --phase PHASE      Schools only: one of ${SCHOOL_PHASES.join(', ')}
  --parent REF       Schools only: the trust or local authority the school belongs to, as
                     its organisation id (see "commissioner organisation list")
  -h, --help         Show this help

"commissioner school add" adds a school too, without a parent.
`;

export const ORGANISATION_LIST_HELP = `Usage: commissioner organisation list

Lists every organisation: id, kind, name, LAESTAB for schools, and the parent of schools in
a trust or local authority. Use the id or a school's LAESTAB with --organisation in the user
commands.

Options:
  -h, --help  Show this help
`;

export async function runOrganisationCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [subcommand, ...rest] = args;
  if (
    subcommand === undefined ||
    subcommand === '--help' ||
    subcommand === '-h' ||
    subcommand === 'help'
  ) {
    io.stdout.write(ORGANISATION_HELP);
    return subcommand === undefined ? 1 : 0;
  }
  if (subcommand === 'add') return addOrganisation(rest, io);
  if (subcommand === 'list') return listOrganisations(rest, io);
  throw new CliError(
    `"${subcommand}" is not an organisation command. Use "commissioner organisation add" or "commissioner organisation list"`,
  );
}

async function addOrganisation(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('organisation add', () =>
    parseArgs({
      args,
      options: {
        kind: { type: 'string' },
        name: { type: 'string' },
        laestab: { type: 'string' },
        urn: { type: 'string' },
        phase: { type: 'string' },
        parent: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout.write(ORGANISATION_ADD_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'organisation add');

  const kind = readKind(values.kind);
  const name = values.name?.trim();
  if (!name) {
    throw new CliError(
      '--name is missing: give the organisation\'s name, for example --name "Aspire Learning Trust"',
    );
  }
  if (kind !== 'school') {
    const schoolOnly = (['laestab', 'urn', 'phase', 'parent'] as const).find(
      (option) => values[option] !== undefined,
    );
    if (schoolOnly) {
      throw new CliError(
        `--${schoolOnly} only applies to schools. Leave it out for a ${KIND_LABELS[kind]}`,
      );
    }
  }
  const phase = values.phase?.trim().toLowerCase();
  if (phase !== undefined && !(SCHOOL_PHASES as readonly string[]).includes(phase)) {
    throw new CliError(
      `--phase "${values.phase}" is not a school phase: use one of ${SCHOOL_PHASES.join(', ')}`,
    );
  }
  const laestab = kind === 'school' ? readLaestab(values.laestab, '--laestab') : null;

  const database = await openCliDatabase(io);
  try {
    const parent =
      values.parent === undefined
        ? null
        : await findOrganisationByReference(database.db, values.parent, '--parent');
    if (parent && parent.kind !== 'trust' && parent.kind !== 'local_authority') {
      throw new CliError(
        `--parent ${values.parent} is a ${KIND_LABELS[parent.kind]}: a school's parent must be a trust or a local authority`,
      );
    }

    const added = await database.db.transaction().execute(async (trx) => {
      if (laestab === null) return insertOrganisation(trx, { kind, name });
      const school = await createSchool(trx, {
        laestab,
        name,
        urn: values.urn?.trim() || null,
        phase: phase ?? null,
      });
      if (parent) await setParent(trx, school.id, parent.id);
      return { id: school.id, laestab: school.laestab };
    });

    database.log.info({ organisationId: added.id, kind }, 'organisation added');
    const laestabText = added.laestab ? `, LAESTAB ${added.laestab}` : '';
    const parentText = parent ? `, in ${parent.name}` : '';
    io.stdout.write(
      `Added ${KIND_LABELS[kind]} ${name}${laestabText}${parentText} (organisation ${added.id}).\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SchoolInputError) throw new CliError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

async function listOrganisations(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('organisation list', () =>
    parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true }),
  );
  if (values.help) {
    io.stdout.write(ORGANISATION_LIST_HELP);
    return 0;
  }
  rejectExtraArguments(positionals, 'organisation list');

  const database = await openCliDatabase(io);
  try {
    const rows = await database.db.selectFrom('organisations').selectAll().orderBy('id').execute();
    if (rows.length === 0) {
      io.stdout.write(
        'No organisations yet. Add one with: commissioner organisation add --kind KIND --name NAME\n',
      );
      return 0;
    }
    const names = new Map(rows.map((row) => [row.id, row.name]));
    for (const row of rows) {
      const laestab = row.laestab ? `  LAESTAB ${row.laestab}` : '';
      const parent =
        row.parent_id === null ? '' : `  in ${names.get(row.parent_id) ?? row.parent_id}`;
      io.stdout.write(`${row.id}  ${KIND_LABELS[row.kind]}  ${row.name}${laestab}${parent}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * Finds the organisation that a command-line value names: a school's LAESTAB when it is 7
 * digits (or written 801/4001), otherwise an organisation id. Throws `CliError` naming the
 * option when the value is neither or nothing matches.
 */
export async function findOrganisationByReference(
  db: Db,
  reference: string | undefined,
  option: string,
): Promise<OrganisationRow> {
  if (reference === undefined || reference.trim() === '') {
    throw new CliError(
      `${option} is missing: give an organisation id or a school's LAESTAB (see "commissioner organisation list")`,
    );
  }
  const value = reference.trim();
  const laestab = /^(\d{3})[/-]?(\d{4})$/.exec(value);
  let query = db.selectFrom('organisations').selectAll();
  if (laestab) {
    query = query.where('kind', '=', 'school').where('laestab', '=', `${laestab[1]}${laestab[2]}`);
  } else if (/^[1-9]\d{0,5}$/.test(value)) {
    query = query.where('id', '=', Number(value));
  } else {
    throw new CliError(
      `${option} "${reference}" is neither an organisation id nor a LAESTAB: give the id from "commissioner organisation list" or a school's 7-digit LAESTAB`,
    );
  }
  const row = await query.executeTakeFirst();
  if (!row) {
    throw new CliError(
      `${option} ${reference}: no such ${laestab ? 'school' : 'organisation'}. See "commissioner organisation list"`,
    );
  }
  return row;
}

function readKind(value: string | undefined): OrganisationKind {
  const kinds = Object.keys(KIND_OPTIONS).join(', ');
  if (value === undefined) throw new CliError(`--kind is missing: give one of ${kinds}`);
  const kind = KIND_OPTIONS[value.trim().toLowerCase()];
  if (kind === undefined) {
    throw new CliError(`--kind "${value}" is not a kind of organisation: use one of ${kinds}`);
  }
  return kind;
}

// NOTE: these two queries belong in organisation-store.ts, which has no function yet for
// organisations other than schools or for a school's parent.
async function insertOrganisation(
  db: Db,
  organisation: { kind: OrganisationKind; name: string },
): Promise<{ id: number; laestab: null }> {
  const row = await db
    .insertInto('organisations')
    .values({
      kind: organisation.kind,
      name: organisation.name,
      parent_id: null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, laestab: null };
}

async function setParent(db: Db, organisationId: number, parentId: number): Promise<void> {
  await db
    .updateTable('organisations')
    .set({ parent_id: parentId })
    .where('id', '=', organisationId)
    .execute();
}
