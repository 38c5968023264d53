import type { Kysely, Transaction } from 'kysely';
import type { Database, OrganisationRow } from '../db/schema.js';
import { MAX_DELEGATED_LIMIT_PENCE } from './school-settings.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface School {
  id: number;
  name: string;
  /** LA number and establishment number together, seven digits, for example `8014001`. */
  laestab: string;
  urn: string | null;
  phase: string | null;
  localAuthority: string | null;
}

export interface NewSchool {
  laestab: string;
  name: string;
  urn?: string | null;
  phase?: string | null;
  localAuthority?: string | null;
}

export const SCHOOL_PHASES = [
  'nursery',
  'primary',
  'middle',
  'secondary',
  'all-through',
  'special',
  'alternative provision',
  '16 plus',
] as const;

/** Raised when a school cannot be created because its details are invalid or already taken. */
export class SchoolInputError extends Error {
  constructor(
    message: string,
    readonly field: keyof NewSchool,
  ) {
    super(message);
    this.name = 'SchoolInputError';
  }
}

export async function listSchools(db: Db): Promise<School[]> {
  const rows = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', 'school')
    .orderBy('name')
    .execute();
  return rows.map(toSchool);
}

/** Lists the schools among `ids`, by name; used to show a user only the schools they can reach. */
export async function listSchoolsIn(db: Db, ids: readonly number[]): Promise<School[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', 'school')
    .where('id', 'in', ids)
    .orderBy('name')
    .execute();
  return rows.map(toSchool);
}

export async function findSchoolById(db: Db, id: number): Promise<School | undefined> {
  const row = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', 'school')
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toSchool(row) : undefined;
}

export async function findSchoolByLaestab(db: Db, laestab: string): Promise<School | undefined> {
  const row = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', 'school')
    .where('laestab', '=', laestab)
    .executeTakeFirst();
  return row ? toSchool(row) : undefined;
}

/**
 * Creates a school. Throws `SchoolInputError` naming the field when the LAESTAB is not seven
 * digits, the URN not six, the name is empty, or a school with that LAESTAB already exists.
 */
export async function createSchool(db: Db, input: NewSchool): Promise<School> {
  validateNewSchool(input);
  if (await findSchoolByLaestab(db, input.laestab)) {
    throw new SchoolInputError(
      `A school with LAESTAB ${input.laestab} already exists; use that school or check the number`,
      'laestab',
    );
  }

  const row = await db
    .insertInto('organisations')
    .values({
      kind: 'school',
      name: input.name,
      laestab: input.laestab,
      urn: input.urn ?? null,
      phase: input.phase ?? null,
      local_authority: input.localAuthority ?? input.laestab.slice(0, 3),
      parent_id: null,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSchool(row);
}

/** Number of pupils with a record in each academic year, latest year first. */
export async function countPupilsByYear(
  db: Db,
  organisationId: number,
): Promise<Array<{ academicYear: number; pupils: number }>> {
  const rows = await db
    .selectFrom('pupil_years')
    .select(['academic_year', (eb) => eb.fn.countAll<number>().as('pupils')])
    .where('organisation_id', '=', organisationId)
    .groupBy('academic_year')
    .orderBy('academic_year', 'desc')
    .execute();
  return rows.map((row) => ({ academicYear: row.academic_year, pupils: Number(row.pupils) }));
}

/**
 * Returns an organisation's delegated approval limit in pence, or null when none is set.
 * Throws when the organisation does not exist.
 */
export async function getDelegatedLimit(db: Db, organisationId: number): Promise<number | null> {
  const row = await db
    .selectFrom('organisations')
    .select('delegated_limit_pence')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!row) throw new Error(`Organisation ${organisationId} does not exist`);
  return row.delegated_limit_pence;
}

/**
 * Sets an organisation's delegated approval limit, in pence, or clears it with null, and
 * returns the limit it replaced. Throws a `RangeError` for an amount that is not a whole
 * number from 0 to £10,000,000, and an `Error` when the organisation does not exist.
 * Call it inside a transaction: the row stays locked from the read of the old limit until
 * the transaction ends, so the returned limit is the one this change replaced.
 */
export async function setDelegatedLimit(
  db: Db,
  organisationId: number,
  pence: number | null,
): Promise<number | null> {
  if (pence !== null && !(Number.isSafeInteger(pence) && pence >= 0)) {
    throw new RangeError(`Delegated limit ${pence} is invalid: expected whole pence, 0 or more`);
  }
  if (pence !== null && pence > MAX_DELEGATED_LIMIT_PENCE) {
    throw new RangeError(
      `Delegated limit ${pence} is invalid: the maximum is ${MAX_DELEGATED_LIMIT_PENCE} pence`,
    );
  }

  // Writing the column to itself takes PostgreSQL's row lock before the read, so a
  // concurrent change waits instead of both reporting the same old limit. SQLite
  // transactions already run one at a time.
  const previous = await db
    .updateTable('organisations')
    .set((eb) => ({ delegated_limit_pence: eb.ref('delegated_limit_pence') }))
    .where('id', '=', organisationId)
    .returning('delegated_limit_pence')
    .executeTakeFirst();
  if (!previous) throw new Error(`Organisation ${organisationId} does not exist`);

  await db
    .updateTable('organisations')
    .set({ delegated_limit_pence: pence })
    .where('id', '=', organisationId)
    .execute();
  return previous.delegated_limit_pence;
}

function validateNewSchool(input: NewSchool): void {
  if (!/^\d{7}$/.test(input.laestab)) {
    throw new SchoolInputError(
      `LAESTAB "${input.laestab}" is invalid: enter the 3-digit LA number followed by the 4-digit establishment number, for example 8014001`,
      'laestab',
    );
  }
  if (input.name.trim() === '') {
    throw new SchoolInputError('Enter the school name', 'name');
  }
  if (input.urn != null && !/^\d{6}$/.test(input.urn)) {
    throw new SchoolInputError(
      `URN "${input.urn}" is invalid: a URN is 6 digits, for example 100000`,
      'urn',
    );
  }
}

function toSchool(row: OrganisationRow): School {
  return {
    id: row.id,
    name: row.name,
    laestab: row.laestab ?? '',
    urn: row.urn,
    phase: row.phase,
    localAuthority: row.local_authority,
  };
}
