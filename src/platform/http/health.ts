import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface HealthOptions {
  db: Kysely<Database>;
}

/**
 * `GET /health` for load balancers and monitoring: 200 with `{ status: 'ok', database: 'ok' }`
 * when a query succeeds, otherwise 503 with `database: 'unavailable'`. It never shows the
 * database error, which is logged instead.
 */
export const health: FastifyPluginAsync<HealthOptions> = async (app, { db }) => {
  app.get('/health', { config: { access: 'public' } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'health check query failed');
      return reply.code(503).send({ status: 'error', database: 'unavailable' });
    }
  });
};
