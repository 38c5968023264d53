import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear, formatDateTime, formatLongDate } from '../../platform/http/views.js';
import { listAnalysisYears } from '../understand/analysis-store.js';
import { selectAudiencePupils } from './audience.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatPence } from '../../platform/organisations/school-settings.js';
import { buildPlanDocument, type PlanDocumentData } from '../../exports/docx/plan-document.js';
import { PLAN_STATUS_LABELS } from './approval.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { requirePlanView, type PlanParams } from './plan-http.js';
import type { PlanView } from './plan-service.js';
import { displayNames } from './plan-store.js';
import { PLAN_SECTION_LABELS, requiredSectionsOf } from './proportionality.js';

export interface PlanDocumentRoutesOptions {
  db: Kysely<Database>;
}

const WORD_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The plan as a Word document laid out like the commissioning plan template schools know. */
export const planDocumentRoutes: FastifyPluginAsync<PlanDocumentRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: PlanParams; Querystring: { version?: string } }>(
    '/schools/:schoolId/plans/:planId/plan.docx',
    { config: { access: 'school:export' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(
        db,
        school.id,
        request.params.planId,
        request.query.version,
      );
      const data = await planDocumentData(db, school, view);
      const document = await buildPlanDocument(data);
      const fileName = `plan-${view.plan.id}-version-${view.version.version}.docx`;

      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'export-downloaded',
        organisationId: school.id,
        subjectType: 'plan',
        subjectId: String(view.plan.id),
        details: { file: fileName, version: view.version.version },
      });
      return reply
        .type(WORD_TYPE)
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(document);
    },
  );
};

/** Puts a plan version into the words and figures the Word document prints. */
export async function planDocumentData(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
): Promise<PlanDocumentData> {
  const { details, version } = view;
  const people = await displayNames(
    db,
    [version.submitted_by, version.decided_by].filter((id): id is number => id !== null),
  );
  const nameOf = (id: number | null) => (id === null ? null : (people.get(id) ?? 'Unknown'));
  const required = new Set(requiredSectionsOf(view.band));
  const decided = version.decided_at !== null;

  return {
    schoolName: school.name,
    planTitle: details.title,
    version: version.version,
    statusLabel: PLAN_STATUS_LABELS[version.status],
    producedOn: formatLongDate(londonToday()),
    need: { title: view.plan.needTitle, description: view.plan.needDescription },
    outcomes: view.outcomeViews.map((outcome) => ({
      description: outcome.description,
      measure: outcome.measureLabel,
      pupils: outcome.pupils,
      baseline: outcome.baseline,
      target: outcome.target,
      targetDate: outcome.targetDate,
    })),
    outputs: view.outputs.map((output) => ({
      description: output.description,
      target: output.target_number === null ? null : String(output.target_number),
    })),
    alignment: { priority: view.priorityTitle, note: details.alignment },
    audience: { rule: details.audience_rule, pupilCount: await audienceCount(db, school, view) },
    timeframe: {
      start: details.start_date === null ? null : formatLongDate(details.start_date),
      end: details.end_date === null ? null : formatLongDate(details.end_date),
    },
    budget: {
      money: details.budget_pence === null ? null : formatPence(details.budget_pence),
      staffHours: details.staff_hours === null ? null : `${details.staff_hours} hours`,
    },
    keyContact: details.key_contact,
    responsibleLeader: details.responsible_leader,
    evaluationStrategy: details.evaluation_strategy,
    band: {
      name: view.band.name,
      optionalSections: Object.entries(PLAN_SECTION_LABELS)
        .filter(([section]) => !required.has(section as keyof typeof PLAN_SECTION_LABELS))
        .map(([, label]) => label),
    },
    approval:
      version.submitted_at === null
        ? null
        : {
            submittedBy: nameOf(version.submitted_by),
            submittedOn: formatDateTime(version.submitted_at),
            decidedBy: nameOf(version.decided_by),
            decidedOn: decided ? formatDateTime(version.decided_at as string) : null,
            decision: !decided
              ? 'Waiting for a decision'
              : version.status === 'returned'
                ? 'Returned for changes'
                : 'Approved',
            basis: version.approval_basis,
            comment: version.decision_comment,
          },
  };
}

/** Counts the pupils the plan's target audience selects now, in the latest year of pupil data. */
async function audienceCount(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
): Promise<string | null> {
  const tree = view.details.audience_rule_tree;
  if (tree === null) return null;
  const [year] = await listAnalysisYears(db, school.id);
  if (year === undefined) return null;
  const pupils = await selectAudiencePupils(db, school, year, tree);
  return `${pupils.length} ${pupils.length === 1 ? 'pupil' : 'pupils'} in ${formatAcademicYear(year)}`;
}
