/**
 * The school improvement plan: the priorities a school sets for an academic year, in order.
 * Needs link to the priority they serve, so that commissioning stays in line with the plan,
 * and needs linked to none stand out.
 */
import { academicYearOfDate } from '../../pupils/tabular/uk-date.js';
import { checkText, type FormError } from '../../platform/http/form-fields.js';

export const PRIORITY_TITLE_MAX_LENGTH = 200;
export const PRIORITY_DESCRIPTION_MAX_LENGTH = 2000;

/** A priority of the school improvement plan. */
export interface ImprovementPriority {
  id: number;
  organisationId: number;
  /** Start year of the academic year: 2025 means 2025/26. */
  academicYear: number;
  title: string;
  description: string;
  /** Place in the year's order, from 1. */
  position: number;
  createdAt: string;
  /** When the school stopped pursuing the priority; null while it is current. */
  retiredAt: string | null;
}

/** The priority form as typed. */
export interface PriorityFormInput {
  title: string;
  description: string;
}

export type PriorityDetailsCheck =
  { ok: true; details: PriorityFormInput } | { ok: false; errors: FormError[] };

/** Returns the academic year (start year) that contains an ISO date; years start on 1 September. */
export function currentAcademicYear(today: string): number {
  return academicYearOfDate(today);
}

/** Checks the priority form: a title is required, and the description may be left empty. */
export function checkPriorityDetails(input: PriorityFormInput): PriorityDetailsCheck {
  const errors: FormError[] = [];
  const title = checkText(input.title, {
    label: 'Priority',
    maxLength: PRIORITY_TITLE_MAX_LENGTH,
    missingMessage: 'Enter the priority',
  });
  if (!title.ok) errors.push({ text: title.message, href: '#title' });
  const description = checkText(input.description, {
    label: 'Description',
    maxLength: PRIORITY_DESCRIPTION_MAX_LENGTH,
  });
  if (!description.ok) errors.push({ text: description.message, href: '#description' });

  if (!title.ok || !description.ok) return { ok: false, errors };
  return { ok: true, details: { title: title.text, description: description.text } };
}

export type MoveDirection = 'up' | 'down';

/**
 * Returns `orderedIds` with `id` swapped with its neighbour above (`up`) or below (`down`).
 * Moving the first item up or the last down returns the order unchanged. Throws a
 * `RangeError` when `id` is not in the list.
 */
export function moveInOrder(
  orderedIds: readonly number[],
  id: number,
  direction: MoveDirection,
): number[] {
  const index = orderedIds.indexOf(id);
  if (index === -1)
    throw new RangeError(`Priority ${id} is not in the order ${orderedIds.join(', ')}`);
  const target = direction === 'up' ? index - 1 : index + 1;
  const order = [...orderedIds];
  if (target < 0 || target >= order.length) return order;
  [order[index], order[target]] = [order[target] as number, order[index] as number];
  return order;
}

/** A priority with the needs that serve it. */
export interface PriorityWithNeeds<N> {
  priority: ImprovementPriority;
  needs: N[];
}

/**
 * Sorts needs under the priorities they serve, keeping the order of both lists. Needs that
 * serve none of `priorities` come back in `unlinked`, including needs linked to a priority of
 * another year.
 */
export function groupNeedsByPriority<N extends { improvementPriorityId: number | null }>(
  priorities: readonly ImprovementPriority[],
  needs: readonly N[],
): { priorities: PriorityWithNeeds<N>[]; unlinked: N[] } {
  const grouped = priorities.map((priority) => ({
    priority,
    needs: needs.filter((need) => need.improvementPriorityId === priority.id),
  }));
  const ids = new Set(priorities.map((priority) => priority.id));
  const unlinked = needs.filter(
    (need) => need.improvementPriorityId === null || !ids.has(need.improvementPriorityId),
  );
  return { priorities: grouped, unlinked };
}
