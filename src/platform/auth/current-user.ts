import type { OrganisationKind } from '../db/schema.js';
import type { RouteAccess, Role } from './permissions.js';

/** One organisation a user belongs to, with their role there. */
export interface Membership {
  organisationId: number;
  organisationKind: OrganisationKind;
  organisationName: string;
  role: Role;
}

/** The signed-in user of a request. */
export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  memberships: Membership[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Null until the session hook finds a valid session. */
    currentUser: CurrentUser | null;
    /** Id of the session row behind `currentUser`, for sign-out and revocation. */
    sessionId: number | null;
    /** True when the request carried a session cookie whose session has ended or was revoked. */
    sessionEnded: boolean;
    /** Roles the user has in the organisation the URL addresses, set by the access check. */
    organisationRoles: Role[];
  }

  interface FastifyContextConfig {
    /** Access the route needs. Every route must declare it, or the app does not start. */
    access?: RouteAccess;
  }
}
