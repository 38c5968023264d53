/** Finding the need that a route's `:needId` names, within the school in the URL. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { Need } from './need-model.js';
import { findNeed } from './need-store.js';

/**
 * Finds the need a `:needId` URL parameter names in `school`. Throws `NotFoundError` when the
 * id is malformed or names no need of this school, so another school's need is "Page not found".
 */
export async function requireNeed(
  db: Kysely<Database>,
  school: School,
  needId: string | undefined,
): Promise<Need> {
  const id = parseId(needId, 'Need id');
  const need = await findNeed(db, school.id, id);
  if (!need) throw new NotFoundError(`Need ${id} does not exist in school ${school.id}`);
  return need;
}

/** Returns the address of a need's page. */
export function needPath(schoolId: number, needId: number): string {
  return `/schools/${schoolId}/needs/${needId}`;
}
