import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formText } from '../../platform/http/form-body.js';
import { londonToday, type FormError } from '../../platform/http/form-fields.js';
import {
  checkPriorityDetails,
  currentAcademicYear,
  groupNeedsByPriority,
  moveInOrder,
  PRIORITY_DESCRIPTION_MAX_LENGTH,
  PRIORITY_TITLE_MAX_LENGTH,
  type ImprovementPriority,
  type PriorityFormInput,
} from './improvement-plan.js';
import {
  addPriority,
  findPriority,
  listPriorities,
  listPriorityYears,
  retirePriority,
  setPriorityOrder,
  updatePriority,
} from './improvement-store.js';
import { listChanges, NEED_STATUS_LABELS, NEED_STATUS_TAG_CLASSES } from './need-model.js';
import { listNeeds, type NeedListItem } from './need-store.js';

export interface ImprovementRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };
type PriorityParams = { schoolId: string; priorityId: string };

/** Confirmations the plan page shows after a change, named in `?notice=`. */
const NOTICES = {
  added: 'Priority added',
  changed: 'Priority changed',
  retired: 'Priority retired. Needs linked to it keep the link.',
} as const;

const planQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  notice: z.enum(['added', 'changed', 'retired']).optional(),
});

/** The add-priority form as typed, with the academic year chosen. */
interface PriorityForm extends PriorityFormInput {
  academicYear: string;
}

/**
 * Serves the school improvement plan at `/schools/:schoolId/improvement-plan`: the priorities of an
 * academic year in order (`?year=` picks it, the current year by default), each with the
 * needs that serve it, and the needs that serve none listed apart. Senior leaders add, change,
 * reorder and retire priorities; each change is recorded in the audit trail.
 */
export const improvementRoutes: FastifyPluginAsync<ImprovementRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/improvement-plan',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = planQuery.safeParse(request.query);
      if (!query.success) throw new NotFoundError('Invalid year: use a start year such as 2025');
      const current = currentAcademicYear(londonToday());
      const year = query.data.year === undefined ? current : Number(query.data.year);
      const notice = query.data.notice ? NOTICES[query.data.notice] : null;
      return renderPlan(request, reply, school, year, notice);
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/improvement-plan/new',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = planQuery.safeParse(request.query);
      const year = query.success && query.data.year ? query.data.year : '';
      return renderPriorityForm(reply, school, null, {
        form: { academicYear: year, title: '', description: '' },
        errors: [],
      });
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/improvement-plan',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const form: PriorityForm = {
        academicYear: formText(request.body, 'academicYear'),
        title: formText(request.body, 'title'),
        description: formText(request.body, 'description'),
      };
      const years = yearsForNewPriorities();
      const details = checkPriorityDetails(form);
      const yearError: FormError[] = years.includes(Number(form.academicYear))
        ? []
        : [{ text: 'Select the academic year of the priority', href: '#academicYear' }];
      if (!details.ok || yearError.length > 0) {
        const errors = [...yearError, ...(details.ok ? [] : details.errors)];
        request.log.info({ organisationId: school.id }, 'improvement priority rejected');
        reply.code(422);
        return renderPriorityForm(reply, school, null, { form, errors });
      }

      const academicYear = Number(form.academicYear);
      const priority = await db.transaction().execute(async (trx) => {
        const added = await addPriority(trx, school.id, academicYear, details.details);
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'priority-added',
          organisationId: school.id,
          subjectType: 'improvement-priority',
          subjectId: added.id,
          details: {
            academicYear,
            title: added.title,
            position: added.position,
            summary: `“${added.title}” for ${formatAcademicYear(academicYear)}`,
          },
        });
        return added;
      });
      request.log.info(
        { organisationId: school.id, priorityId: priority.id, academicYear },
        'improvement priority added',
      );
      return reply.redirect(planPath(school, academicYear, 'added'), 303);
    },
  );

  app.get<{ Params: PriorityParams }>(
    '/schools/:schoolId/improvement-plan/:priorityId/edit',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const priority = await requirePriority(school, request.params.priorityId);
      return renderPriorityForm(reply, school, priority, {
        form: {
          academicYear: String(priority.academicYear),
          title: priority.title,
          description: priority.description,
        },
        errors: [],
      });
    },
  );

  app.post<{ Params: PriorityParams }>(
    '/schools/:schoolId/improvement-plan/:priorityId/edit',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const priority = await requirePriority(school, request.params.priorityId);
      const form: PriorityForm = {
        academicYear: String(priority.academicYear),
        title: formText(request.body, 'title'),
        description: formText(request.body, 'description'),
      };
      const details = checkPriorityDetails(form);
      if (!details.ok) {
        request.log.info(
          { organisationId: school.id, priorityId: priority.id },
          'improvement priority change rejected',
        );
        reply.code(422);
        return renderPriorityForm(reply, school, priority, { form, errors: details.errors });
      }

      const changes = listChanges<PriorityFormInput>(priority, details.details);
      if (changes.length > 0) {
        await db.transaction().execute(async (trx) => {
          await updatePriority(trx, school.id, priority.id, details.details);
          await recordAuditEvent(trx, {
            ...auditFieldsOf(request),
            action: 'priority-changed',
            organisationId: school.id,
            subjectType: 'improvement-priority',
            subjectId: priority.id,
            details: {
              changes,
              summary: `Changed ${changes.map((change) => change.field).join(' and ')}`,
            },
          });
        });
      }
      request.log.info(
        { organisationId: school.id, priorityId: priority.id, changed: changes.length > 0 },
        'improvement priority saved',
      );
      return reply.redirect(
        planPath(school, priority.academicYear, changes.length > 0 ? 'changed' : null),
        303,
      );
    },
  );

  // Move buttons send only a direction. A request without one, or for a retired priority,
  // changes nothing and returns to the plan.
  app.post<{ Params: PriorityParams }>(
    '/schools/:schoolId/improvement-plan/:priorityId/move',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const priority = await requirePriority(school, request.params.priorityId);
      const direction = formText(request.body, 'direction');
      if ((direction !== 'up' && direction !== 'down') || priority.retiredAt !== null) {
        request.log.info(
          { organisationId: school.id, priorityId: priority.id, direction },
          'improvement priority not moved',
        );
        return reply.redirect(planPath(school, priority.academicYear, null), 303);
      }

      await db.transaction().execute(async (trx) => {
        const current = await listPriorities(trx, school.id, priority.academicYear);
        const before = current.map((item) => item.id);
        const after = moveInOrder(before, priority.id, direction);
        const from = before.indexOf(priority.id) + 1;
        const to = after.indexOf(priority.id) + 1;
        if (from === to) return;

        await setPriorityOrder(trx, school.id, priority.academicYear, after);
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'priority-changed',
          organisationId: school.id,
          subjectType: 'improvement-priority',
          subjectId: priority.id,
          details: {
            changes: [{ field: 'position', from, to }],
            order: { from: before, to: after },
            summary: `Moved from ${from} to ${to} in ${formatAcademicYear(priority.academicYear)}`,
          },
        });
      });
      return reply.redirect(planPath(school, priority.academicYear, null), 303);
    },
  );

  app.post<{ Params: PriorityParams }>(
    '/schools/:schoolId/improvement-plan/:priorityId/retire',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const priority = await requirePriority(school, request.params.priorityId);

      const retired = await db.transaction().execute(async (trx) => {
        const changed = await retirePriority(trx, school.id, priority.id, new Date().toISOString());
        if (!changed) return false;
        // Close the gap the priority leaves, so the current priorities stay numbered 1, 2, 3…
        const remaining = await listPriorities(trx, school.id, priority.academicYear);
        await setPriorityOrder(
          trx,
          school.id,
          priority.academicYear,
          remaining.map((item) => item.id),
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'priority-retired',
          organisationId: school.id,
          subjectType: 'improvement-priority',
          subjectId: priority.id,
          details: {
            academicYear: priority.academicYear,
            title: priority.title,
            summary: `“${priority.title}”`,
          },
        });
        return true;
      });
      request.log.info(
        { organisationId: school.id, priorityId: priority.id },
        retired ? 'improvement priority retired' : 'improvement priority already retired',
      );
      return reply.redirect(
        planPath(school, priority.academicYear, retired ? 'retired' : null),
        303,
      );
    },
  );

  async function requirePriority(school: School, priorityId: string): Promise<ImprovementPriority> {
    const id = parseId(priorityId, 'Improvement priority id');
    const priority = await findPriority(db, school.id, id);
    if (!priority) {
      throw new NotFoundError(`Improvement priority ${id} does not exist in school ${school.id}`);
    }
    return priority;
  }

  async function renderPlan(
    request: FastifyRequest,
    reply: FastifyReply,
    school: School,
    year: number,
    notice: string | null,
  ): Promise<string> {
    const priorities = await listPriorities(db, school.id, year, { includeRetired: true });
    const needs = await listNeeds(db, school.id);
    const grouped = groupNeedsByPriority(priorities, needs);
    const canManage = rolesGrant(request.organisationRoles, 'needs:manage');
    const current = grouped.priorities.filter((item) => item.priority.retiredAt === null);
    const retired = grouped.priorities.filter((item) => item.priority.retiredAt !== null);
    const years = new Set([
      ...(await listPriorityYears(db, school.id)),
      ...yearsForNewPriorities(),
      year,
    ]);

    return reply.viewAsync('pages/improvement-plan.njk', {
      school,
      notice,
      year,
      yearLabel: formatAcademicYear(year),
      yearItems: [...years]
        .sort((a, b) => b - a)
        .map((option) => ({
          value: String(option),
          text: formatAcademicYear(option),
          selected: option === year,
        })),
      current: current.map((item, index) => ({
        ...item,
        isFirst: index === 0,
        isLast: index === current.length - 1,
        needs: item.needs.map(needRow),
      })),
      retired: retired.map((item) => ({ ...item, needs: item.needs.map(needRow) })),
      unlinked: grouped.unlinked.map(needRow),
      canManage,
      csrfToken: canManage ? reply.generateCsrf() : null,
    });
  }

  async function renderPriorityForm(
    reply: FastifyReply,
    school: School,
    priority: ImprovementPriority | null,
    state: { form: PriorityForm; errors: FormError[] },
  ): Promise<string> {
    const { form, errors } = state;
    return reply.viewAsync('pages/improvement-priority.njk', {
      school,
      priority,
      form,
      errors,
      errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
      yearLabel: priority ? formatAcademicYear(priority.academicYear) : null,
      yearItems: yearsForNewPriorities().map((year) => ({
        value: String(year),
        text: formatAcademicYear(year),
        checked: form.academicYear === String(year),
      })),
      maxLengths: {
        title: PRIORITY_TITLE_MAX_LENGTH,
        description: PRIORITY_DESCRIPTION_MAX_LENGTH,
      },
      cancelHref: planPath(school, priority?.academicYear ?? null, null),
      csrfToken: reply.generateCsrf(),
    });
  }
};

/** Returns the academic years a school can add priorities to: the current one and the next. */
function yearsForNewPriorities(): number[] {
  const current = currentAcademicYear(londonToday());
  return [current, current + 1];
}

function planPath(
  school: School,
  year: number | null,
  notice: keyof typeof NOTICES | null,
): string {
  const query = new URLSearchParams();
  if (year !== null) query.set('year', String(year));
  if (notice !== null) query.set('notice', notice);
  const text = query.toString();
  return `/schools/${school.id}/improvement-plan${text ? `?${text}` : ''}`;
}

function needRow(need: NeedListItem) {
  return {
    ...need,
    statusLabel: NEED_STATUS_LABELS[need.status],
    statusClass: NEED_STATUS_TAG_CLASSES[need.status],
    otherYearPriority:
      need.improvementPriorityTitle === null || need.improvementPriorityYear === null
        ? null
        : `${need.improvementPriorityTitle} (${formatAcademicYear(need.improvementPriorityYear)})`,
  };
}
