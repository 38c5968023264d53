import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../http/http-errors.js';
import { parseId } from '../http/school-scope.js';
import { rolesGrant, rolesInOrganisation } from './organisation-access.js';
import { isPermission, type RouteAccess } from './permissions.js';

export interface AccessControlOptions {
  db: Kysely<Database>;
}

/** URL parameters that name the organisation a route acts on. */
const ORGANISATION_PARAMS = ['schoolId', 'organisationId'] as const;

/** Every route registered so far with what it declared, for the permission matrix test. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

/**
 * Makes every route declare its access (`config.access`) and enforces it before the handler:
 * `public` routes are open, `signed-in` routes need a session, and a permission needs a role
 * that grants it in the organisation named by the URL. An organisation the user cannot reach
 * is "Page not found", so no user learns that another school or its pupils exist; a reachable
 * organisation without the permission is "Forbidden". Register it after the session plugin
 * and before any route.
 */
const accessControlPlugin: FastifyPluginAsync<AccessControlOptions> = async (app, { db }) => {
  app.decorate('declaredRoutes', [] as DeclaredRoute[]);
  app.decorateRequest('organisationRoles', null as never);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (
      access === undefined ||
      !(access === 'public' || access === 'signed-in' || isPermission(access))
    ) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} has no valid config.access; declare 'public', 'signed-in' or a permission from src/platform/auth/permissions.ts`,
      );
    }
    for (const method of methods) {
      if (method !== 'HEAD') app.declaredRoutes.push({ method, url: route.url, access });
    }
  });

  // onRequest, so that a request without access is turned away before its body is read.
  app.addHook('onRequest', async (request, reply) => {
    request.organisationRoles = [];
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // Not-found handler: no route matched.
    if (access === 'public') return;
    if (!request.currentUser) return redirectToSignIn(request, reply);
    if (access === 'signed-in') return;

    const organisationId = organisationIdFromParams(request);
    if (organisationId === null) {
      throw new Error(
        `Route ${request.routeOptions.url} needs ${access} but names no organisation`,
      );
    }
    const roles = await rolesInOrganisation(db, request.currentUser, organisationId);
    if (roles.length === 0)
      throw new NotFoundError(`Organisation ${organisationId} is not reachable by this user`);
    if (!rolesGrant(roles, access)) throw new ForbiddenError(`Needs ${access}`);
    request.organisationRoles = roles;
  });
};

function organisationIdFromParams(request: FastifyRequest): number | null {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  for (const name of ORGANISATION_PARAMS) {
    if (params[name] !== undefined) return parseId(params[name], 'Organisation id');
  }
  return null;
}

async function redirectToSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== 'GET') throw new ForbiddenError('Sign in before sending this form');
  const next = encodeURIComponent(request.url);
  // Tell someone whose session timed out why they are asked to sign in again.
  const ended = request.sessionEnded ? '&session=ended' : '';
  await reply.redirect(`/sign-in?next=${next}${ended}`);
}

export const accessControl = fp(accessControlPlugin, { name: 'access-control' });
