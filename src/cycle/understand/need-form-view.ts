/**
 * View data of the need form: the improvement priorities a need can serve, and the radios of
 * each question with the typed answer chosen. The routes that create a need and the route
 * that changes one both render it.
 */
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FormError } from '../../platform/http/form-fields.js';
import { currentAcademicYear, type ImprovementPriority } from './improvement-plan.js';
import { findPriority, listPriorities } from './improvement-store.js';
import {
  NEED_AUDIENCE_MAX_LENGTH,
  NEED_DESCRIPTION_MAX_LENGTH,
  NEED_TITLE_MAX_LENGTH,
  NO_IMPROVEMENT_PRIORITY,
  type NeedFormInput,
} from './need-form.js';
import {
  NEED_PRIORITIES,
  NEED_PRIORITY_LABELS,
  NEED_STATUSES,
  NEED_STATUS_HINTS,
  NEED_STATUS_LABELS,
  type Need,
} from './need-model.js';

/** The improvement priorities the need form offers, and the academic year they belong to. */
export interface OfferedPriorities {
  academicYear: number;
  priorities: ImprovementPriority[];
  ids: Set<number>;
}

/**
 * Lists the improvement priorities a need can serve: the current priorities of this academic
 * year, and the one the need already serves. That one is offered even when it is retired or of
 * another year, so that saving other changes never unlinks it.
 */
export async function offeredPriorities(
  db: Kysely<Database>,
  schoolId: number,
  today: string,
  need: Need | null,
): Promise<OfferedPriorities> {
  const academicYear = currentAcademicYear(today);
  const priorities = await listPriorities(db, schoolId, academicYear);
  const linkedId = need?.improvementPriorityId ?? null;
  if (linkedId !== null && !priorities.some((priority) => priority.id === linkedId)) {
    const linked = await findPriority(db, schoolId, linkedId);
    if (linked) priorities.push(linked);
  }
  return { academicYear, priorities, ids: new Set(priorities.map((priority) => priority.id)) };
}

/** Returns a need's answers as the form shows them. */
export function needFormInputOf(need: Need): NeedFormInput {
  return {
    title: need.title,
    description: need.description,
    audience: need.audienceRule ?? '',
    priority: need.priority,
    improvementPriorityId:
      need.improvementPriorityId === null
        ? NO_IMPROVEMENT_PRIORITY
        : String(need.improvementPriorityId),
    status: need.status,
  };
}

/** Names a priority with its year when it is not of the year the form offers, and marks it retired. */
export function describePriority(priority: ImprovementPriority, academicYear: number): string {
  const year =
    priority.academicYear === academicYear ? '' : ` (${formatAcademicYear(priority.academicYear)})`;
  const retired = priority.retiredAt === null ? '' : ' (retired)';
  return `${priority.title}${year}${retired}`;
}

export interface NeedFormPage {
  school: School;
  /** `create` includes the status question and leads to the check-answers page. */
  mode: 'create' | 'edit';
  /** The need being changed, in `edit` mode. */
  need: Need | null;
  input: NeedFormInput;
  errors: FormError[];
  offered: OfferedPriorities;
  /** The field whose Change button led back to the form, to put the cursor in it. */
  focus?: string;
}

/** Renders the need form with the answers as typed and any errors beside their fields. */
export async function renderNeedForm(reply: FastifyReply, page: NeedFormPage): Promise<string> {
  const { school, mode, need, input, errors, offered } = page;
  const action =
    mode === 'create'
      ? `/schools/${school.id}/needs/new`
      : `/schools/${school.id}/needs/${need?.id ?? ''}/edit`;
  return reply.viewAsync('pages/need-form.njk', {
    school,
    mode,
    need,
    action,
    input,
    errors,
    errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
    focus: page.focus ?? null,
    yearLabel: formatAcademicYear(offered.academicYear),
    maxLengths: {
      title: NEED_TITLE_MAX_LENGTH,
      description: NEED_DESCRIPTION_MAX_LENGTH,
      audience: NEED_AUDIENCE_MAX_LENGTH,
    },
    priorityLevelItems: NEED_PRIORITIES.map((priority) => ({
      value: priority,
      text: NEED_PRIORITY_LABELS[priority],
      checked: input.priority === priority,
    })),
    hasPriorities: offered.priorities.length > 0,
    noImprovementPriority: NO_IMPROVEMENT_PRIORITY,
    improvementItems: [
      ...offered.priorities.map((priority) => ({
        value: String(priority.id),
        text: describePriority(priority, offered.academicYear),
        hint: priority.description ? { text: priority.description } : undefined,
        checked: input.improvementPriorityId === String(priority.id),
      })),
      { divider: 'or' },
      {
        value: NO_IMPROVEMENT_PRIORITY,
        text: 'It serves none of these priorities',
        checked: input.improvementPriorityId === NO_IMPROVEMENT_PRIORITY,
      },
    ],
    statusItems: NEED_STATUSES.map((status) => ({
      value: status,
      text: NEED_STATUS_LABELS[status],
      hint: { text: NEED_STATUS_HINTS[status] },
      checked: input.status === status,
    })),
    csrfToken: reply.generateCsrf(),
  });
}
