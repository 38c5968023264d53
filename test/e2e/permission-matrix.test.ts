import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  roleGrants,
  ROLES,
  type Permission,
  type Role,
} from '../../src/platform/auth/permissions.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { addFundingLine } from '../../src/cycle/finance/funding-store.js';
import {
  addOutcomeLine,
  findPaymentModel,
  savePaymentModel,
} from '../../src/cycle/finance/payment-store.js';
import { commitImport, previewImport } from '../../src/pupils/import-service.js';
import { createPlanRow } from '../helpers/plans.js';
import { createUserWithRole, signInWithInject } from '../helpers/sign-in.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

/**
 * Walks every route with every role: from the school the route addresses, from a second
 * school, and signed out. A route that declares no access stops the app from starting, and
 * a route whose URL parameters this test cannot fill makes it fail, so a new route is
 * covered as soon as it is added.
 */

const PASSWORD = 'correct horse battery staple 42';

// Files served before the access check, which are public by design.
const STATIC_PREFIXES = ['/stylesheets/', '/javascripts/', '/assets/', '/favicon.ico'];

interface Fixture {
  schoolA: number;
  schoolB: number;
  trust: number;
  importOfA: number;
  importOfB: number;
  membershipOfA: number;
  planOfA: number;
  fundingLineOfA: number;
  outcomeLineOfA: number;
}

/**
 * The access each route must declare. A route missing here fails the test, so adding a route
 * or changing its access is always a deliberate, reviewed change to this table.
 */
const EXPECTED_ACCESS: Readonly<Record<string, string>> = {
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'signed-in',
  'GET /account': 'signed-in',
  'GET /account/password': 'signed-in',
  'POST /account/password': 'signed-in',
  'GET /health': 'public',
  'GET /': 'signed-in',
  'GET /schools/:schoolId': 'school:read',
  'GET /schools/:schoolId/imports/new': 'pupils:import',
  'POST /schools/:schoolId/imports': 'pupils:import',
  'GET /schools/:schoolId/imports/:importId': 'pupils:import',
  'POST /schools/:schoolId/imports/:importId/mapping': 'pupils:import',
  'POST /schools/:schoolId/imports/:importId/commit': 'pupils:import',
  'GET /schools/:schoolId/gaps': 'school:read',
  'GET /schools/:schoolId/gaps.csv': 'school:export',
  'GET /help/gaps': 'public',
  'GET /schools/:schoolId/people': 'users:invite',
  'POST /schools/:schoolId/people/:membershipId/role': 'users:manage',
  'POST /schools/:schoolId/people/:membershipId/remove': 'users:manage',
  'POST /schools/:schoolId/people/invitations/revoke': 'users:invite',
  'GET /schools/:schoolId/people/invite': 'users:invite',
  'POST /schools/:schoolId/people/invite': 'users:invite',
  'GET /invitations/:token': 'public',
  'POST /invitations/:token': 'public',
  'GET /schools/:schoolId/audit': 'audit:read',
  'GET /schools/:schoolId/audit.csv': 'audit:read',
  'GET /schools/:schoolId/settings': 'settings:manage',
  'POST /schools/:schoolId/settings': 'settings:manage',
  'GET /schools/:schoolId/finance': 'school:read',
  'GET /schools/:schoolId/plans/:planId/finance': 'school:read',
  'GET /schools/:schoolId/plans/:planId/funding/new': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/funding/new': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/funding/:lineId': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/funding/:lineId': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/payment-model': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/payment-model': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/settlement': 'school:read',
  'POST /schools/:schoolId/plans/:planId/settlement': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/settlement/:outcomeLineId': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/settlement/:outcomeLineId': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/value-for-money': 'school:read',
  'POST /schools/:schoolId/plans/:planId/value-for-money': 'finance:manage',
  'GET /schools/:schoolId/finance/pupil-premium': 'school:read',
  'GET /schools/:schoolId/finance/rates': 'reference:manage',
  'POST /schools/:schoolId/finance/rates': 'reference:manage',
  'GET /schools/:schoolId/finance/unit-costs': 'reference:manage',
  'POST /schools/:schoolId/finance/unit-costs': 'reference:manage',
  'GET /help/finance': 'public',
};

let testApp: TestApp;
let fixture: Fixture;
const cookies = new Map<string, string>();

function userKey(role: Role, where: 'A' | 'B'): string {
  return `${role}@school-${where.toLowerCase()}.invalid`;
}

async function csrfToken(cookie: string): Promise<string> {
  const page = await testApp.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error(`No CSRF token on /account (status ${page.statusCode})`);
  return token;
}

/** Fills a route's URL parameters with records of school A, the school being addressed. */
function fillUrl(url: string, values: Fixture): string {
  const replacements: Record<string, number> = {
    schoolId: values.schoolA,
    organisationId: values.schoolA,
    importId: values.importOfA,
    membershipId: values.membershipOfA,
    planId: values.planOfA,
    lineId: values.fundingLineOfA,
    outcomeLineId: values.outcomeLineOfA,
  };
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    const value = replacements[name];
    if (value === undefined) {
      throw new Error(`The permission matrix cannot fill :${name} in ${url}; add it to fillUrl`);
    }
    return String(value);
  });
}

async function request(method: string, url: string, cookie: string | null) {
  if (method === 'GET') {
    return testApp.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  let body = '';
  if (cookie) {
    headers.cookie = cookie;
    body = `_csrf=${encodeURIComponent(await csrfToken(cookie))}`;
  }
  return testApp.app.inject({ method: 'POST', url, headers, payload: body });
}

beforeAll(async () => {
  testApp = await startApp();
  const { db } = testApp.database;

  const trust = await db
    .insertInto('organisations')
    .values({ kind: 'trust', name: 'Matrix Trust', created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const schoolA = await createSchool(db, { laestab: '8014001', name: 'School A' });
  const schoolB = await createSchool(db, { laestab: '8014002', name: 'School B' });
  await db
    .updateTable('organisations')
    .set({ parent_id: trust.id })
    .where('id', '=', schoolA.id)
    .execute();

  const file = readFileSync(
    new URL('../fixtures/imports/sims-pupils-utf8-bom.csv', import.meta.url),
  );
  const limits = { maxBytes: 20 * 1024 * 1024 };
  // School A has loaded data, so that its pages and downloads have figures to show.
  const loaded = await previewImport(
    db,
    { organisationId: schoolA.id, fileName: 'loaded.csv', content: file, academicYear: 2024 },
    limits,
  );
  await commitImport(
    db,
    schoolA.id,
    loaded.importId as number,
    { confirmOtherSchool: false },
    limits,
  );
  const previewA = await previewImport(
    db,
    { organisationId: schoolA.id, fileName: 'a.csv', content: file, academicYear: 2024 },
    limits,
  );
  const previewB = await previewImport(
    db,
    { organisationId: schoolB.id, fileName: 'b.csv', content: file, academicYear: 2024 },
    limits,
  );

  // Role changes and removals in the matrix act on this member, not on the users signing in.
  const target = await createUserWithRole(db, {
    email: 'target@school-a.invalid',
    password: PASSWORD,
    organisationId: schoolA.id,
    role: 'staff',
  });
  const targetMembership = await db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', target.id)
    .executeTakeFirstOrThrow();

  for (const role of ROLES) {
    const homeOfA = role === 'trust_officer' ? trust.id : schoolA.id;
    await createUserWithRole(db, {
      email: userKey(role, 'A'),
      password: PASSWORD,
      organisationId: homeOfA,
      role,
    });
    await createUserWithRole(db, {
      email: userKey(role, 'B'),
      password: PASSWORD,
      organisationId: schoolB.id,
      role,
    });
  }
  for (const role of ROLES) {
    for (const where of ['A', 'B'] as const) {
      const { cookie } = await signInWithInject(testApp.app, userKey(role, where), PASSWORD);
      cookies.set(userKey(role, where), cookie);
    }
  }

  // School A has a plan paid by results, with a funding line and an outcome line to change.
  const planOfA = await createPlanRow(db, schoolA.id, { title: 'Mentoring', budgetPence: 500_000 });
  const fundingLineOfA = await addFundingLine(
    db,
    schoolA.id,
    planOfA,
    {
      source: 'pupil_premium',
      funder: '',
      amountPence: 500_000,
      status: 'secured',
      financialYear: 2025,
      expectedDate: null,
      note: '',
    },
    null,
  );
  await savePaymentModel(
    db,
    schoolA.id,
    planOfA,
    {
      kind: 'payment_by_results',
      upfrontPence: 100_000,
      capPence: 500_000,
      tariffs: [
        {
          key: 'tariff-0',
          outcome: 'Attendance rises to 90% or more',
          pencePerUnit: 40_000,
          evidenceRequired: 'Attendance report',
          hopedUnits: 5,
          unitCostKey: null,
        },
      ],
    },
    { firstDate: '2025-09-01', instalments: 1, monthsApart: 1 },
    null,
  );
  const model = await findPaymentModel(db, schoolA.id, planOfA);
  const outcomeLineOfA = await addOutcomeLine(
    db,
    schoolA.id,
    planOfA,
    {
      tariffKey:
        model?.model.kind === 'payment_by_results' ? (model.model.tariffs[0]?.key ?? '') : '',
      unitReference: 'P-01',
      status: 'evidenced',
      disputed: false,
      evidenceReference: 'Report',
    },
    null,
  );

  fixture = {
    schoolA: schoolA.id,
    schoolB: schoolB.id,
    trust: trust.id,
    importOfA: previewA.importId as number,
    importOfB: previewB.importId as number,
    membershipOfA: targetMembership.id,
    planOfA,
    fundingLineOfA,
    outcomeLineOfA,
  };
});

afterAll(async () => {
  await testApp.close();
});

describe('permission matrix', () => {
  it('declares access on every route', () => {
    const declared = new Set(
      testApp.app.declaredRoutes.map((route) => `${route.method} ${route.url}`),
    );

    const undeclared = testApp.app.allRoutes.filter((route) => {
      const url = route.slice(route.indexOf(' ') + 1);
      return !declared.has(route) && !STATIC_PREFIXES.some((prefix) => url.startsWith(prefix));
    });

    expect(undeclared).toEqual([]);
    expect(declared.size).toBeGreaterThan(5);
  });

  it('declares the expected access', () => {
    const declared = Object.fromEntries(
      testApp.app.declaredRoutes.map((route) => [`${route.method} ${route.url}`, route.access]),
    );

    expect(declared).toEqual(EXPECTED_ACCESS);
  });

  it('grants each role exactly its permissions', async () => {
    const failures: string[] = [];
    for (const route of testApp.app.declaredRoutes) {
      if (route.access === 'public' || route.access === 'signed-in') continue;
      const url = fillUrl(route.url, fixture);
      for (const role of ROLES) {
        const response = await request(route.method, url, cookies.get(userKey(role, 'A')) ?? null);
        const allowed = roleGrants(role, route.access as Permission);
        const refused = response.statusCode === 403 || response.statusCode === 404;
        if (allowed === refused) {
          failures.push(
            `${role} ${route.method} ${url}: ${response.statusCode}, expected ${allowed ? 'access' : '403'}`,
          );
        }
        if (!allowed && response.statusCode !== 403) {
          failures.push(`${role} ${route.method} ${url}: ${response.statusCode}, expected 403`);
        }
      }
    }

    expect(failures).toEqual([]);
  });

  it('hides one school from another', async () => {
    const failures: string[] = [];
    for (const route of testApp.app.declaredRoutes) {
      if (route.access === 'public' || route.access === 'signed-in') continue;
      const url = fillUrl(route.url, fixture);
      for (const role of ROLES) {
        const response = await request(route.method, url, cookies.get(userKey(role, 'B')) ?? null);
        if (response.statusCode !== 404) {
          failures.push(
            `${role} of school B ${route.method} ${url}: ${response.statusCode}, expected 404`,
          );
        }
      }
    }

    expect(failures).toEqual([]);
  });

  it('sends signed-out visitors to sign in', async () => {
    for (const route of testApp.app.declaredRoutes) {
      if (route.access === 'public') continue;
      const url = fillUrl(route.url, fixture);

      const response = await request(route.method, url, null);

      if (route.method === 'GET') {
        expect(response.statusCode, url).toBe(302);
        expect(response.headers.location, url).toMatch(/^\/sign-in\?next=/);
      } else {
        expect(response.statusCode, `${route.method} ${url}`).toBe(403);
      }
    }
  });

  it('hides another school’s import behind its own school', async () => {
    const cookie = cookies.get(userKey('senior_leader', 'A')) as string;

    const response = await request(
      'GET',
      `/schools/${fixture.schoolA}/imports/${fixture.importOfB}`,
      cookie,
    );

    expect(response.statusCode).toBe(404);
  });

  it('lists only reachable schools', async () => {
    const leader = await request('GET', '/', cookies.get(userKey('senior_leader', 'A')) ?? null);
    const officer = await request('GET', '/', cookies.get(userKey('trust_officer', 'A')) ?? null);

    expect(leader.body).toContain('School A');
    expect(leader.body).not.toContain('School B');
    expect(officer.body).toContain('School A');
    expect(officer.body).not.toContain('School B');
  });
});
