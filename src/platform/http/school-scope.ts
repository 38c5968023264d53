import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findSchoolById, type School } from '../organisations/organisation-store.js';
import { NotFoundError } from './http-errors.js';

const ID_PATTERN = /^[1-9]\d{0,9}$/;

/**
 * Reads a positive whole-number id from a URL parameter. Throws `NotFoundError` for anything
 * else, so `/schools/abc` is "Page not found" rather than a server error.
 */
export function parseId(value: string | undefined, what: string): number {
  if (value === undefined || !ID_PATTERN.test(value))
    throw new NotFoundError(`${what} "${value}" is not a valid id`);
  return Number(value);
}

/**
 * Finds the school that a `:schoolId` URL parameter names. Throws `NotFoundError` when the id
 * is malformed or no such school exists. Routes pass the returned school's id to every store
 * call, so each query stays scoped to the school in the URL.
 */
export async function requireSchool(
  db: Kysely<Database>,
  schoolId: string | undefined,
): Promise<School> {
  const id = parseId(schoolId, 'School id');
  const school = await findSchoolById(db, id);
  if (!school) throw new NotFoundError(`School ${id} does not exist`);
  return school;
}
