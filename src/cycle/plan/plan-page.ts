import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { getDelegatedLimit, type School } from '../../platform/organisations/organisation-store.js';
import { formatPence } from '../../platform/organisations/school-settings.js';
import { approvalAuthority, isEditable, PLAN_STATUS_LABELS, PLAN_STATUS_TAGS } from './approval.js';
import { errorList, errorsByField, planPermissions } from './plan-http.js';
import type { PlanView } from './plan-service.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import { listAnalysisYears, loadAnalysisPupils } from '../understand/analysis-store.js';
import { loadInterventionMemberships, summariseAudience } from './audience.js';
import { noDataResult, selectionResult, type RuleResultView } from './eligibility/rule-view.js';
import { displayNames } from './plan-store.js';
import { PLAN_SECTION_LABELS, requiredSectionsOf } from './proportionality.js';
import type { FieldError } from './smart-outcomes.js';

/** Renders a plan's page; `errors` come from a refused submission or decision. */
export async function renderPlanPage(
  db: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  view: PlanView,
  errors: FieldError[],
  typed: Record<string, string> = {},
  notice: string | null = null,
) {
  const limit = await getDelegatedLimit(db, school.id);
  const authority =
    view.details.budget_pence === null
      ? null
      : approvalAuthority(request.organisationRoles, view.details.budget_pence, limit);
  const required = new Set(requiredSectionsOf(view.band));
  const audienceResult = await describeAudience(db, school, view);
  const { version } = view;
  const people = await displayNames(
    db,
    [version.submitted_by, version.decided_by].filter((id): id is number => id !== null),
  );
  return reply.viewAsync('pages/plan.njk', {
    school,
    view,
    statusLabel: PLAN_STATUS_LABELS[view.version.status],
    statusLabels: PLAN_STATUS_LABELS,
    statusTag: PLAN_STATUS_TAGS[view.version.status],
    editable: view.isLatest && isEditable(view.version.status),
    budgetText: view.details.budget_pence === null ? null : formatPence(view.details.budget_pence),
    bandLimits: {
      value: view.band.maxValuePence === null ? null : formatPence(view.band.maxValuePence),
      weeks: view.band.maxWeeks,
    },
    optionalSections: Object.entries(PLAN_SECTION_LABELS)
      .filter(([section]) => !required.has(section as keyof typeof PLAN_SECTION_LABELS))
      .map(([, label]) => label),
    authority,
    delegatedLimitText: limit === null ? null : formatPence(limit),
    can: planPermissions(request),
    errors: errorList(errors),
    fieldErrors: errorsByField(errors),
    typed,
    submittedBy:
      version.submitted_by === null ? null : (people.get(version.submitted_by) ?? 'Unknown'),
    decidedBy: version.decided_by === null ? null : (people.get(version.decided_by) ?? 'Unknown'),
    audienceResult,
    notice,
    currentUserId: request.currentUser?.id ?? null,
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Describes the pupils the plan's target audience selects in the latest year of pupil data:
 * how many, their make-up, and how many are already in other plans' audiences.
 */
async function describeAudience(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
): Promise<RuleResultView | null> {
  const tree = view.details.audience_rule_tree;
  const text = view.details.audience_rule;
  if (tree === null || text === null) return null;
  const [year] = await listAnalysisYears(db, school.id);
  if (year === undefined) return noDataResult(text);
  const pupils = await loadAnalysisPupils(db, school.id, school.laestab, year);
  const memberships = await loadInterventionMemberships(db, school, year, view.plan.id, pupils);
  const summary = summariseAudience(pupils, year, tree, memberships);
  return selectionResult(text, summary, formatAcademicYear(year), true);
}
