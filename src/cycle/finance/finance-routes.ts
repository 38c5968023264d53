import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { fundingRoutes } from './funding-routes.js';
import { jointLeadRoutes } from './joint-lead-routes.js';
import { jointPartnerRoutes } from './joint-partner-routes.js';
import { jointTrustRoutes } from './joint-trust-routes.js';
import { PAYMENT_MODEL_LABELS } from './payment-models.js';
import { paymentRoutes } from './payment-routes.js';
import { premiumRoutes } from './premium-routes.js';
import { DEFAULT_UNIT_COSTS } from './reference-data.js';
import { settlementRoutes } from './settlement-routes.js';
import { strategyInputRoutes } from './strategy-input-routes.js';
import { strategyRoutes } from './strategy-routes.js';
import { unitCostRoutes } from './unit-cost-routes.js';
import { valueRoutes } from './value-routes.js';
import {
  WORKED_EXAMPLE_LINES,
  WORKED_EXAMPLE_SCHEDULE,
  WORKED_EXAMPLE_VALUE,
  workExample,
} from './worked-example.js';
import { EVIDENCE_STATUS_LABELS } from './settlement.js';

export interface FinanceRoutesOptions {
  db: Kysely<Database>;
}

/**
 * Registers the Finance step's routes: funding lines per plan, the Pupil Premium page and its
 * rates, payment models and schedules, payment-by-results settlement, value for money, the
 * help page at `/help/finance` with a worked example, the Pupil Premium strategy statement with
 * its inputs and downloads, and joint commissions, whose cost schools of one trust share.
 */
export const financeRoutes: FastifyPluginAsync<FinanceRoutesOptions> = async (app, { db }) => {
  await app.register(fundingRoutes, { db });
  await app.register(paymentRoutes, { db });
  await app.register(settlementRoutes, { db });
  await app.register(valueRoutes, { db });
  await app.register(premiumRoutes, { db });
  await app.register(unitCostRoutes, { db });
  await app.register(strategyRoutes, { db });
  await app.register(strategyInputRoutes, { db });
  await app.register(jointLeadRoutes, { db });
  await app.register(jointPartnerRoutes, { db });
  await app.register(jointTrustRoutes, { db });

  // The example uses the default unit costs, because its figures were worked out by hand with them.
  const example = workExample(DEFAULT_UNIT_COSTS);
  app.get('/help/finance', { config: { access: 'public' } }, async (_request, reply) =>
    reply.viewAsync('pages/help-finance.njk', {
      example,
      lines: WORKED_EXAMPLE_LINES,
      schedule: WORKED_EXAMPLE_SCHEDULE,
      valueInputs: WORKED_EXAMPLE_VALUE,
      truantCost: DEFAULT_UNIT_COSTS.find((cost) => cost.key === 'persistent_truant'),
      modelLabel: PAYMENT_MODEL_LABELS.payment_by_results,
      statusLabels: EVIDENCE_STATUS_LABELS,
    }),
  );
};
