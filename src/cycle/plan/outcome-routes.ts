import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import { isEditable } from './approval.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { datePartsOf } from './date-input.js';
import {
  computeBaseline,
  formatMeasureValue,
  listOutcomeMeasures,
  QUESTIONNAIRE_MEASURE,
  type Baseline,
} from './outcome-measures.js';
import { listAnalysisYears } from '../understand/analysis-store.js';
import { readAudienceRule, selectAudiencePupils } from './audience.js';
import {
  dateParts,
  errorList,
  errorsByField,
  recordPlanEvent,
  requirePlanView,
  text,
  type PlanParams,
} from './plan-http.js';
import { renderPlanPage } from './plan-page.js';
import { computeOutcomeBaseline, type PlanView } from './plan-service.js';
import {
  addOutcome,
  addOutput,
  removeOutcome,
  removeOutput,
  touchVersion,
  updateOutcome,
  type NewPlanOutcome,
  type PlanOutcome,
} from './plan-store.js';
import {
  checkTargetAgainstBaseline,
  readOutcome,
  readQuestionnaireBaseline,
  type CheckedOutcome,
  type FieldError,
  type OutcomeInput,
} from './smart-outcomes.js';

export interface OutcomeRoutesOptions {
  db: Kysely<Database>;
}

type OutcomeParams = PlanParams & { outcomeId: string };
type OutputParams = PlanParams & { outputId: string };

interface OutcomeForm extends OutcomeInput {
  audienceRule: string;
}

/**
 * Intended outcomes and outputs of a draft plan. Saving an outcome fixes its baseline from the
 * pupil records of that moment, so later imports never move the starting point the plan was
 * approved against.
 */
export const outcomeRoutes: FastifyPluginAsync<OutcomeRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/outcomes/new',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      return renderOutcomeForm(db, reply, school, view, null, emptyForm(), []);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/outcomes',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      const form = outcomeFormOf(request.body);
      const checked = await checkOutcomeForm(db, school, view, form, null);
      if (!checked.ok) {
        reply.code(422);
        return renderOutcomeForm(db, reply, school, view, null, form, checked.errors);
      }
      await changeDraft(
        db,
        request,
        view,
        (trx) => addOutcome(trx, school.id, view.version.id, checked.row),
        (id) => ({ outcomeAdded: id, measure: checked.row.measure }),
      );
      return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}#outcomes`, 303);
    },
  );

  app.get<{ Params: OutcomeParams }>(
    '/schools/:schoolId/plans/:planId/outcomes/:outcomeId',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      const outcome = requireOutcome(view, request.params.outcomeId);
      return renderOutcomeForm(db, reply, school, view, outcome, formFromSaved(outcome), []);
    },
  );

  app.post<{ Params: OutcomeParams }>(
    '/schools/:schoolId/plans/:planId/outcomes/:outcomeId',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      const outcome = requireOutcome(view, request.params.outcomeId);
      const form = outcomeFormOf(request.body);
      const checked = await checkOutcomeForm(db, school, view, form, outcome);
      if (!checked.ok) {
        reply.code(422);
        return renderOutcomeForm(db, reply, school, view, outcome, form, checked.errors);
      }
      await changeDraft(
        db,
        request,
        view,
        (trx) => updateOutcome(trx, school.id, outcome.id, checked.row),
        () => ({
          outcomeChanged: outcome.id,
          from: outcomeAuditFields(outcome),
          to: outcomeAuditFields(checked.row),
        }),
      );
      return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}#outcomes`, 303);
    },
  );

  app.post<{ Params: OutcomeParams }>(
    '/schools/:schoolId/plans/:planId/outcomes/:outcomeId/remove',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      // Removing an outcome that is already gone (a second click) just returns to the plan.
      const outcomeId = parseId(request.params.outcomeId, 'Outcome id');
      const outcome = view.outcomes.find((candidate) => candidate.id === outcomeId);
      if (!outcome) return toPlan(reply, request.params);
      // The removed outcome is kept in the audit trail in full, so nothing typed is lost.
      await changeDraft(
        db,
        request,
        view,
        (trx) => removeOutcome(trx, school.id, outcome.id),
        () => ({ outcomeRemoved: outcomeAuditFields(outcome) }),
      );
      return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}#outcomes`, 303);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/outputs',
    { config: { access: 'plans:write' } },
    async (request, reply) => handleAddOutput(db, request, reply),
  );

  app.post<{ Params: OutputParams }>(
    '/schools/:schoolId/plans/:planId/outputs/:outputId/remove',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const { school, view } = await editablePlan(db, request.params);
      if (!view) return toPlan(reply, request.params);
      const outputId = parseId(request.params.outputId, 'Output id');
      const output = view.outputs.find((candidate) => candidate.id === outputId);
      if (!output) return toPlan(reply, request.params);
      await changeDraft(
        db,
        request,
        view,
        (trx) => removeOutput(trx, school.id, output.id),
        () => ({
          outputRemoved: { description: output.description, target: output.target_number },
        }),
      );
      return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}#outputs`, 303);
    },
  );
};

/**
 * Makes one change to a draft version in a transaction: `change` writes it, then the version is
 * marked as changed and a `plan-changed` audit event records `details` of the result.
 */
async function changeDraft<Result>(
  db: Kysely<Database>,
  request: FastifyRequest,
  view: PlanView,
  change: (trx: Transaction<Database>) => Promise<Result>,
  details: (result: Result) => Record<string, unknown>,
): Promise<Result> {
  return db.transaction().execute(async (trx) => {
    const result = await change(trx);
    await touchVersion(
      trx,
      view.version.organisation_id,
      view.version.id,
      new Date().toISOString(),
    );
    await recordPlanEvent(
      trx,
      request,
      'plan-changed',
      view.version.organisation_id,
      view.plan.id,
      {
        version: view.version.version,
        ...details(result),
      },
    );
    return result;
  });
}

/** The school and its plan's latest version, with `view` null when that version is not editable. */
async function editablePlan(
  db: Kysely<Database>,
  params: PlanParams,
): Promise<{ school: School; view: PlanView | null }> {
  const school = await requireSchool(db, params.schoolId);
  const view = await requirePlanView(db, school.id, params.planId);
  return { school, view: isEditable(view.version.status) ? view : null };
}

function toPlan(reply: FastifyReply, params: PlanParams) {
  return reply.redirect(`/schools/${params.schoolId}/plans/${params.planId}`, 303);
}

function requireOutcome(view: PlanView, outcomeIdText: string): PlanOutcome {
  const outcomeId = parseId(outcomeIdText, 'Outcome id');
  const outcome = view.outcomes.find((candidate) => candidate.id === outcomeId);
  if (!outcome) throw new NotFoundError(`Outcome ${outcomeId} is not part of plan ${view.plan.id}`);
  return outcome;
}

function emptyForm(): OutcomeForm {
  return {
    description: '',
    measure: '',
    questionnaireName: '',
    baseline: '',
    target: '',
    targetDate: { day: '', month: '', year: '' },
    audienceRule: '',
  };
}

function outcomeFormOf(body: unknown): OutcomeForm {
  return {
    description: text(body, 'description'),
    measure: text(body, 'measure'),
    questionnaireName: text(body, 'questionnaireName'),
    baseline: text(body, 'baseline'),
    target: text(body, 'target'),
    targetDate: dateParts(body, 'targetDate'),
    audienceRule: text(body, 'audienceRule'),
  };
}

function formFromSaved(outcome: PlanOutcome): OutcomeForm {
  return {
    description: outcome.description,
    measure: outcome.measure,
    questionnaireName: outcome.questionnaire_name ?? '',
    baseline:
      outcome.measure === QUESTIONNAIRE_MEASURE && outcome.baseline_value !== null
        ? String(outcome.baseline_value)
        : '',
    target: String(outcome.target_value),
    targetDate: datePartsOf(outcome.target_date),
    audienceRule: outcome.audience_rule ?? '',
  };
}

/**
 * Checks the form and works out the baseline. An outcome whose measure and pupils did not
 * change keeps the baseline fixed when it was first saved.
 */
async function checkOutcomeForm(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
  form: OutcomeForm,
  saved: PlanOutcome | null,
): Promise<{ ok: true; row: NewPlanOutcome } | { ok: false; errors: FieldError[] }> {
  const read = readOutcome(form, londonToday());
  const audience = readAudienceRule(form.audienceRule);
  const errors = read.ok ? [] : [...read.errors];
  if (!audience.ok) errors.push({ field: 'audienceRule', text: audience.error });
  if (!read.ok || !audience.ok) return { ok: false, errors };

  const outcome = read.outcome;
  const baseline = await baselineFor(db, school, view, outcome, audience, form, saved);
  if (!baseline.ok) return { ok: false, errors: [baseline.error] };

  const yearLabel =
    baseline.academicYear === null ? 'any year' : formatAcademicYear(baseline.academicYear);
  const problem = checkTargetAgainstBaseline(
    outcome.measure,
    baseline.value,
    outcome.target,
    yearLabel,
  );
  if (problem) return { ok: false, errors: [problem] };

  return {
    ok: true,
    row: {
      description: outcome.description,
      measure: outcome.measure.key,
      questionnaire_name: outcome.questionnaireName,
      audience_rule: audience.text,
      audience_rule_tree: audience.tree,
      baseline_value: baseline.value.value,
      baseline_pupils: outcome.measure.computed ? baseline.value.pupils : null,
      baseline_academic_year: baseline.academicYear,
      baseline_taken_at: baseline.takenAt,
      target_value: outcome.target,
      target_date: outcome.targetDate,
    },
  };
}

type BaselineResult =
  | { ok: true; value: Baseline; academicYear: number | null; takenAt: string }
  | { ok: false; error: FieldError };

async function baselineFor(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
  outcome: CheckedOutcome,
  audience: { text: string | null; tree: string | null },
  form: OutcomeForm,
  saved: PlanOutcome | null,
): Promise<BaselineResult> {
  const now = new Date().toISOString();
  if (!outcome.measure.computed) {
    const typed = readQuestionnaireBaseline(form.baseline);
    if (!typed.ok) return { ok: false, error: typed.error };
    const unchanged = saved !== null && saved.baseline_value === typed.value;
    return {
      ok: true,
      value: { value: typed.value, pupils: 0 },
      academicYear: null,
      takenAt: unchanged ? (saved.baseline_taken_at ?? now) : now,
    };
  }

  const keepsBaseline =
    saved !== null &&
    saved.measure === outcome.measure.key &&
    saved.audience_rule === audience.text &&
    saved.baseline_taken_at !== null;
  if (keepsBaseline) {
    return {
      ok: true,
      value: { value: saved.baseline_value, pupils: saved.baseline_pupils ?? 0 },
      academicYear: saved.baseline_academic_year,
      takenAt: saved.baseline_taken_at ?? now,
    };
  }

  const tree = audience.text === null ? view.details.audience_rule_tree : audience.tree;
  const computed = await computeOutcomeBaseline(db, school, outcome.measure, tree);
  if (computed.academicYear === null) {
    return {
      ok: false,
      error: {
        field: 'measure',
        text: 'There is no pupil data to take a baseline from. Import the school’s pupil data first, or choose a questionnaire measure',
      },
    };
  }
  return { ok: true, value: computed.baseline, academicYear: computed.academicYear, takenAt: now };
}

function outcomeAuditFields(outcome: NewPlanOutcome) {
  return {
    description: outcome.description,
    measure: outcome.measure,
    questionnaireName: outcome.questionnaire_name,
    audienceRule: outcome.audience_rule,
    baseline: outcome.baseline_value,
    baselineTakenAt: outcome.baseline_taken_at,
    target: outcome.target_value,
    targetDate: outcome.target_date,
  };
}

async function renderOutcomeForm(
  db: Kysely<Database>,
  reply: FastifyReply,
  school: School,
  view: PlanView,
  outcome: PlanOutcome | null,
  form: OutcomeForm,
  errors: FieldError[],
) {
  return reply.viewAsync('pages/plan-outcome.njk', {
    school,
    view,
    outcome,
    form,
    currentFigures: await currentFigures(db, school, view),
    measures: listOutcomeMeasures(),
    questionnaireMeasure: QUESTIONNAIRE_MEASURE,
    errors: errorList(errors),
    fieldErrors: errorsByField(errors),
    csrfToken: reply.generateCsrf(),
  });
}

async function handleAddOutput(
  db: Kysely<Database>,
  request: FastifyRequest<{ Params: PlanParams }>,
  reply: FastifyReply,
) {
  const { school, view } = await editablePlan(db, request.params);
  if (!view) return toPlan(reply, request.params);
  const description = text(request.body, 'outputDescription').trim();
  const targetText = text(request.body, 'outputTarget').trim().replaceAll(',', '');

  const errors: FieldError[] = [];
  if (description === '')
    errors.push({
      field: 'outputDescription',
      text: 'Enter the output, for example "Weekly mentoring sessions delivered"',
    });
  else if (description.length > 500)
    errors.push({ field: 'outputDescription', text: 'Output must be 500 characters or fewer' });
  if (targetText !== '' && !/^\d{1,7}$/.test(targetText))
    errors.push({
      field: 'outputTarget',
      text: 'Target must be a whole number, like 30, or left empty',
    });
  if (errors.length > 0) {
    reply.code(422);
    return renderPlanPage(db, request, reply, school, view, errors, {
      outputDescription: text(request.body, 'outputDescription'),
      outputTarget: text(request.body, 'outputTarget'),
    });
  }

  const target = targetText === '' ? null : Number(targetText);
  await changeDraft(
    db,
    request,
    view,
    (trx) => addOutput(trx, school.id, view.version.id, { description, target_number: target }),
    () => ({ outputAdded: { description, target } }),
  );
  return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}#outputs`, 303);
}

/**
 * Works out each computed measure for the plan's target audience in the latest year of pupil
 * data, so that the author knows the starting points before choosing a target.
 */
async function currentFigures(
  db: Kysely<Database>,
  school: School,
  view: PlanView,
): Promise<{
  yearLabel: string;
  rows: Array<{ label: string; value: string; pupils: number }>;
} | null> {
  const [year] = await listAnalysisYears(db, school.id);
  if (year === undefined) return null;
  const pupils = await selectAudiencePupils(db, school, year, view.details.audience_rule_tree);
  const rows = listOutcomeMeasures()
    .filter((measure) => measure.computed)
    .map((measure) => ({ measure, baseline: computeBaseline(measure, pupils, year) }))
    .filter(({ baseline }) => baseline.value !== null)
    .map(({ measure, baseline }) => ({
      label: measure.label,
      value: formatMeasureValue(measure, baseline.value as number),
      pupils: baseline.pupils,
    }));
  return { yearLabel: formatAcademicYear(year), rows };
}
