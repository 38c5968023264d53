import Fastify, { type FastifyInstance } from 'fastify';
import { bandRoutes } from '../cycle/plan/band-routes.js';
import { decisionRoutes } from '../cycle/plan/decision-routes.js';
import { outcomeRoutes } from '../cycle/plan/outcome-routes.js';
import { planDocumentRoutes } from '../cycle/plan/plan-document-routes.js';
import { planRoutes } from '../cycle/plan/plan-routes.js';
import { ruleRoutes } from '../cycle/plan/eligibility/rule-routes.js';
import { financeRoutes } from '../cycle/finance/finance-routes.js';
import { gapRoutes } from '../cycle/understand/gap-routes.js';
import { improvementRoutes } from '../cycle/understand/improvement-routes.js';
import { barrierRoutes } from '../cycle/understand/need-barrier-routes.js';
import { needChangeRoutes } from '../cycle/understand/need-change-routes.js';
import { evidenceRoutes } from '../cycle/understand/need-evidence-routes.js';
import { needRoutes } from '../cycle/understand/need-routes.js';
import { snapshotRoutes } from '../cycle/understand/snapshot-routes.js';
import { importRoutes } from '../pupils/import-routes.js';
import { authRoutes } from './auth/auth-routes.js';
import { sessions } from './auth/session-plugin.js';
import { cookieIsSecure, type Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { accessControl } from './auth/access-control.js';
import { csrf } from './http/csrf.js';
import { errorPages } from './http/error-pages.js';
import { forms } from './http/forms.js';
import { health } from './http/health.js';
import { requestLogging, requestLoggingOptions, type LogStream } from './http/request-logging.js';
import { securityHeaders } from './http/security-headers.js';
import { staticAssets } from './http/static-assets.js';
import { views } from './http/views.js';
import { organisationRoutes } from './organisations/organisation-routes.js';
import { settingsRoutes } from './organisations/settings-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import { invitationRoutes } from './auth/invitation-routes.js';
import { peopleRoutes } from './auth/people-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app as `METHOD url`, static files included, for the permission matrix test. */
    allRoutes: string[];
  }
}

export interface AppDependencies {
  config: Config;
  /** An open, migrated database; the caller closes it after closing the app. */
  database: DatabaseHandle;
  /** Receives the JSON log lines; standard output when absent. */
  logStream?: LogStream;
}

/**
 * Builds the web application without starting it: call `listen` on the result, or `inject`
 * in tests. Plugins are registered in the order requests meet them.
 */
export async function buildApp({
  config,
  database,
  logStream,
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify(requestLoggingOptions(config, logStream));
  const { db } = database;

  app.decorate('allRoutes', [] as string[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== 'HEAD') app.allRoutes.push(`${method} ${route.url}`);
  });

  await app.register(requestLogging);
  await app.register(securityHeaders);
  await app.register(views);
  await app.register(errorPages);
  await app.register(staticAssets);
  await app.register(forms, { maxUploadBytes: config.MAX_UPLOAD_BYTES });
  await app.register(csrf, { secureCookie: cookieIsSecure(config) });

  // Static files above are public; every route below must declare its access.
  await app.register(sessions, {
    db,
    policy: { idleMinutes: config.SESSION_IDLE_MINUTES, maxHours: config.SESSION_MAX_HOURS },
    secureCookie: cookieIsSecure(config),
  });
  await app.register(accessControl, { db });
  await app.register(authRoutes, { db });
  await app.register(health, { db });

  await app.register(organisationRoutes, { db });
  await app.register(importRoutes, { db, maxUploadBytes: config.MAX_UPLOAD_BYTES });
  await app.register(gapRoutes, { db });
  await app.register(snapshotRoutes, { db });
  await app.register(needRoutes, { db });
  await app.register(needChangeRoutes, { db });
  await app.register(evidenceRoutes, { db, maxUploadBytes: config.MAX_UPLOAD_BYTES });
  await app.register(barrierRoutes, { db });
  await app.register(improvementRoutes, { db });
  await app.register(ruleRoutes, { db });
  await app.register(peopleRoutes, { db });
  await app.register(invitationRoutes, { db, config });
  await app.register(auditRoutes, { db });
  await app.register(settingsRoutes, { db });
  await app.register(planRoutes, { db });
  await app.register(outcomeRoutes, { db });
  await app.register(decisionRoutes, { db });
  await app.register(planDocumentRoutes, { db });
  await app.register(bandRoutes, { db });
  await app.register(financeRoutes, { db });

  return app;
}
