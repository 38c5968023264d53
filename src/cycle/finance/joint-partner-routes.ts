import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import { formatLongDate } from '../../platform/http/views.js';
import {
  findOutcomeMeasure,
  formatMeasureValue,
  QUESTIONNAIRE_MEASURE,
} from '../plan/outcome-measures.js';
import { SHARE_BASIS_LABELS } from './cost-shares.js';
import { countSchoolAudience } from './joint-audience.js';
import { describeBudgetChange, formatShareFigure } from './joint-shares.js';
import { findJointShareOfSchool, loadSharedPlan, type SharedPlan } from './joint-store.js';
import { canManageFinance, type SchoolParams } from './route-support.js';

export interface JointPartnerRoutesOptions {
  db: Kysely<Database>;
}

type JointParams = SchoolParams & { jointCommissionId: string };

/**
 * Serves `/schools/:schoolId/joint-commissions/:jointCommissionId`, where a school that takes
 * part in a joint commission reads the plan's title, target audience and outcomes, its own
 * figure and share, and how many of its own pupils the audience selects. The page never shows
 * another school's figures, shares or pupils, nor the outcomes' baselines, which describe the
 * lead school's pupils. The lead school's own plan pages stay under the lead school's URL, so a
 * partner cannot open them.
 */
export const jointPartnerRoutes: FastifyPluginAsync<JointPartnerRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: JointParams }>(
    '/schools/:schoolId/joint-commissions/:jointCommissionId',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const jointId = parseId(request.params.jointCommissionId, 'Joint commission id');
      const share = await findJointShareOfSchool(db, school.id, jointId);
      const plan = share && (await loadSharedPlan(db, share.leadSchoolId, share.planId));
      if (!share || !plan) {
        throw new NotFoundError(`Joint commission ${jointId} does not include school ${school.id}`);
      }
      const audience = await countSchoolAudience(db, school, plan.audienceRuleTree);

      return reply.viewAsync('pages/finance-joint-partner.njk', {
        school,
        share,
        plan,
        basisLabel: SHARE_BASIS_LABELS[share.basis],
        figure: formatShareFigure(share.basis, share.weight),
        outcomes: describeSharedOutcomes(plan),
        audience,
        budgetChange: describeBudgetChange(share.totalPence, plan.budgetPence),
        canManageShares: share.isLead && canManageFinance(request),
      });
    },
  );
};

/** Puts the shared plan's outcomes into words, without baselines. */
function describeSharedOutcomes(plan: SharedPlan) {
  return plan.outcomes.map((outcome) => {
    const measure = findOutcomeMeasure(outcome.measure);
    const measureLabel =
      measure === null
        ? outcome.measure
        : measure.key === QUESTIONNAIRE_MEASURE
          ? `Questionnaire: ${outcome.questionnaireName ?? 'not named'}`
          : measure.label;
    const target = measure
      ? formatMeasureValue(measure, outcome.targetValue)
      : String(outcome.targetValue);
    return {
      description: outcome.description,
      measureLabel,
      pupils: outcome.audienceRule ?? 'The plan’s target audience',
      target: `${target} by ${formatLongDate(outcome.targetDate)}`,
    };
  });
}
