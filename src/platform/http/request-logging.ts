import { randomUUID } from 'node:crypto';
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

/** Destination for log lines in place of standard output, for example a test that reads them. */
export interface LogStream {
  write(line: string): void;
}

/**
 * Fastify server options for structured request logs: each request gets a random id, and
 * the log line carries the method, the path without its query string, the status code and
 * the response time. Headers, cookies, query strings and bodies are left out. An error is logged
 * with its type, code, message and stack only, because a database driver can attach values to
 * an error: PostgreSQL's `detail` can quote a UPN.
 */
export function requestLoggingOptions(
  config: Pick<Config, 'LOG_LEVEL'> & Partial<Pick<Config, 'TRUST_PROXY'>>,
  stream?: LogStream,
): FastifyServerOptions {
  return {
    trustProxy: config.TRUST_PROXY === 'on',
    logger: {
      level: config.LOG_LEVEL,
      ...(stream ? { stream } : {}),
      serializers: {
        req: (request: FastifyRequest) => ({ method: request.method, path: pathOnly(request.url) }),
        res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
        err: serializeError,
      },
    },
    // An id sent by the client is ignored: ids are ours, so they cannot be forged into the logs.
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
  };
}

/** Sends the request id back in `X-Request-Id`, so a reported problem can be found in the logs. */
export const requestLogging = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('X-Request-Id', request.id);
    });
  },
  { name: 'request-logging' },
);

function serializeError(error: Error): {
  type: string;
  code?: string;
  message: string;
  stack: string;
} {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
    stack: error.stack ?? '',
  };
}

// Invitation links carry a secret token in the path; it is as good as a password until used.
const SECRET_PATH_SEGMENTS = /^(\/invitations\/)[^/]+/;

/** Returns the path without its query string, and with secret tokens replaced by `:token`. */
export function pathOnly(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return path.replace(SECRET_PATH_SEGMENTS, '$1:token');
}

/**
 * Returns Fastify's logger as the pino `Logger` that services take. Fastify creates a pino
 * logger from `requestLoggingOptions`, but types it with its own smaller interface.
 */
export function asPinoLogger(log: FastifyBaseLogger): Logger {
  return log as Logger;
}
