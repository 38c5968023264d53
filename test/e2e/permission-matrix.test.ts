import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  roleGrants,
  ROLES,
  type Permission,
  type Role,
} from '../../src/platform/auth/permissions.js';
import type { Kysely } from 'kysely';
import { analyseGaps } from '../../src/cycle/understand/gap-analysis.js';
import { addPriority } from '../../src/cycle/understand/improvement-store.js';
import { addNeedBarriers } from '../../src/cycle/understand/need-barrier-store.js';
import { addEvidence } from '../../src/cycle/understand/need-evidence-store.js';
import { createNeed } from '../../src/cycle/understand/need-store.js';
import { saveSnapshot } from '../../src/cycle/understand/snapshot-store.js';
import type { Database } from '../../src/platform/db/schema.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { addOutcome, addOutput, listVersions } from '../../src/cycle/plan/plan-store.js';
import { addFundingLine } from '../../src/cycle/finance/funding-store.js';
import { saveJointCommission } from '../../src/cycle/finance/joint-store.js';
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
  outcomeOfA: number;
  outputOfA: number;
  needOfA: number;
  needOfB: number;
  evidenceOfA: number;
  evidenceOfB: number;
  barrierOfA: number;
  priorityOfA: number;
  snapshotOfA: number;
  snapshotOfB: number;
  fundingLineOfA: number;
  outcomeLineOfA: number;
  jointCommissionOfA: number;
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
  'GET /schools/:schoolId/rules': 'school:read',
  'GET /schools/:schoolId/rules/preview': 'school:read',
  'GET /help/eligibility-rules': 'public',
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
  'GET /schools/:schoolId/settings': 'delegation:set',
  'POST /schools/:schoolId/settings': 'delegation:set',
  'GET /schools/:schoolId/plans': 'school:read',
  'GET /schools/:schoolId/plans/new': 'plans:write',
  'POST /schools/:schoolId/plans': 'plans:write',
  'GET /schools/:schoolId/plans/:planId': 'school:read',
  'GET /schools/:schoolId/plans/:planId/details': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/details': 'plans:write',
  'GET /schools/:schoolId/plans/:planId/outcomes/new': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/outcomes': 'plans:write',
  'GET /schools/:schoolId/plans/:planId/outcomes/:outcomeId': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/outcomes/:outcomeId': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/outcomes/:outcomeId/remove': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/outputs': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/outputs/:outputId/remove': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/submit': 'plans:write',
  'POST /schools/:schoolId/plans/:planId/decision': 'plans:approve',
  'POST /schools/:schoolId/plans/:planId/versions': 'plans:write',
  'GET /schools/:schoolId/plans/:planId/versions/:version/changes': 'school:read',
  'GET /schools/:schoolId/plans/:planId/plan.docx': 'school:export',
  'GET /schools/:schoolId/settings/proportionality': 'settings:manage',
  'POST /schools/:schoolId/settings/proportionality': 'settings:manage',
  'POST /schools/:schoolId/analyses': 'evidence:add',
  'GET /schools/:schoolId/analyses': 'school:read',
  'GET /schools/:schoolId/analyses/:snapshotId': 'school:read',
  'GET /schools/:schoolId/needs': 'school:read',
  'GET /schools/:schoolId/needs/new': 'needs:manage',
  'POST /schools/:schoolId/needs/new': 'needs:manage',
  'POST /schools/:schoolId/needs': 'needs:manage',
  'GET /schools/:schoolId/needs/:needId': 'school:read',
  'GET /schools/:schoolId/needs/:needId/edit': 'needs:manage',
  'POST /schools/:schoolId/needs/:needId/edit': 'needs:manage',
  'GET /schools/:schoolId/needs/:needId/status': 'needs:manage',
  'POST /schools/:schoolId/needs/:needId/status': 'needs:manage',
  'GET /schools/:schoolId/needs/:needId/delivery': 'needs:manage',
  'POST /schools/:schoolId/needs/:needId/delivery': 'needs:manage',
  'GET /schools/:schoolId/needs/:needId/evidence/new': 'evidence:add',
  'POST /schools/:schoolId/needs/:needId/evidence': 'evidence:add',
  'GET /schools/:schoolId/needs/:needId/evidence/:evidenceId/file': 'school:read',
  'GET /schools/:schoolId/needs/:needId/barriers/new': 'evidence:add',
  'POST /schools/:schoolId/needs/:needId/barriers': 'evidence:add',
  'POST /schools/:schoolId/needs/:needId/barriers/other': 'needs:manage',
  'POST /schools/:schoolId/needs/:needId/barriers/:barrierId/remove': 'evidence:add',
  'GET /schools/:schoolId/improvement-plan': 'school:read',
  'GET /schools/:schoolId/improvement-plan/new': 'needs:manage',
  'POST /schools/:schoolId/improvement-plan': 'needs:manage',
  'GET /schools/:schoolId/improvement-plan/:priorityId/edit': 'needs:manage',
  'POST /schools/:schoolId/improvement-plan/:priorityId/edit': 'needs:manage',
  'POST /schools/:schoolId/improvement-plan/:priorityId/move': 'needs:manage',
  'POST /schools/:schoolId/improvement-plan/:priorityId/retire': 'needs:manage',
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
  'GET /schools/:schoolId/finance/strategy-statement': 'school:read',
  'GET /schools/:schoolId/finance/strategy-statement.docx': 'school:export',
  'GET /schools/:schoolId/finance/strategy-statement.csv': 'school:export',
  'GET /schools/:schoolId/finance/strategy-statement/inputs': 'finance:manage',
  'POST /schools/:schoolId/finance/strategy-statement/inputs': 'finance:manage',
  'GET /help/finance': 'public',
  'GET /schools/:schoolId/plans/:planId/joint-commission': 'school:read',
  'GET /schools/:schoolId/plans/:planId/joint-commission/schools': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/joint-commission/schools': 'finance:manage',
  'GET /schools/:schoolId/plans/:planId/joint-commission/shares': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/joint-commission/shares': 'finance:manage',
  'POST /schools/:schoolId/plans/:planId/joint-commission': 'finance:manage',
  'GET /schools/:schoolId/joint-commissions/:jointCommissionId': 'school:read',
  'GET /organisations/:organisationId/joint-commissions': 'school:read',
  'GET /organisations/:organisationId/joint-commissions.csv': 'school:export',
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

/**
 * Fills a route's URL parameters with records of school A, the school being addressed, or for
 * an organisation's own page (`/organisations/:organisationId/…`) with the trust above school A.
 */
function fillUrl(url: string, values: Fixture): string {
  const replacements: Record<string, number> = {
    schoolId: values.schoolA,
    organisationId: values.trust,
    importId: values.importOfA,
    membershipId: values.membershipOfA,
    planId: values.planOfA,
    outcomeId: values.outcomeOfA,
    outputId: values.outputOfA,
    version: 1,
    needId: values.needOfA,
    evidenceId: values.evidenceOfA,
    barrierId: values.barrierOfA,
    priorityId: values.priorityOfA,
    snapshotId: values.snapshotOfA,
    lineId: values.fundingLineOfA,
    outcomeLineId: values.outcomeLineOfA,
    jointCommissionId: values.jointCommissionOfA,
  };
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    const value = replacements[name];
    if (value === undefined) {
      throw new Error(`The permission matrix cannot fill :${name} in ${url}; add it to fillUrl`);
    }
    return String(value);
  });
}

/**
 * True when school A's user with `role` reaches the organisation a route addresses. Every role
 * reaches school A, trust officers through the trust they belong to. Only trust officers, whose
 * role is held in the trust itself, reach the trust's own pages.
 */
function reachesAddressedOrganisation(role: Role, routeUrl: string): boolean {
  return !routeUrl.startsWith('/organisations/') || role === 'trust_officer';
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

/** Creates a priority, a saved analysis and a need with a barrier and an evidence file. */
async function createNeedRecords(db: Kysely<Database>, schoolId: number) {
  const priority = await addPriority(db, schoolId, 2025, { title: 'Attendance', description: '' });
  const snapshotId = await saveSnapshot(db, schoolId, {
    title: 'Saved analysis',
    analysis: analyseGaps([], 2024),
    createdBy: null,
  });
  const need = await createNeed(db, schoolId, {
    title: 'Attendance need',
    description: 'd',
    audienceRule: null,
    audienceRuleTree: null,
    priority: 'high',
    improvementPriorityId: priority.id,
    status: 'identified',
    createdBy: null,
  });
  const evidenceId = await addEvidence(db, schoolId, need.id, {
    kind: 'data_analysis',
    evidenceDate: '2025-01-10',
    summary: 'Figures',
    snapshotId,
    file: { fileName: 'figures.txt', fileType: 'text/plain', content: Buffer.from('figures') },
    createdBy: null,
  });
  const [barrier] = await addNeedBarriers(db, schoolId, need.id, [
    { label: 'Low attendance', classification: 'internal_external', note: '' },
  ]);
  return {
    needId: need.id,
    evidenceId,
    barrierId: barrier?.id ?? 0,
    priorityId: priority.id,
    snapshotId,
  };
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
  // School C shares school A's joint commission; school B stays outside the trust.
  const schoolC = await createSchool(db, { laestab: '8014003', name: 'School C' });
  await db
    .updateTable('organisations')
    .set({ parent_id: trust.id })
    .where('id', 'in', [schoolA.id, schoolC.id])
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

  // Each school has a need with a barrier and an evidence file, a priority and a saved
  // analysis, so that every need, evidence, barrier, plan and analysis route has a record.
  const needsOfA = await createNeedRecords(db, schoolA.id);
  const needsOfB = await createNeedRecords(db, schoolB.id);
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

  const jointOfA = await saveJointCommission(
    db,
    schoolA.id,
    planOfA,
    {
      basis: 'percentages',
      totalPence: 500_000,
      shares: [
        { schoolId: schoolA.id, weight: 6_000, pence: 300_000 },
        { schoolId: schoolC.id, weight: 4_000, pence: 200_000 },
      ],
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
    ...(await createPlanFixture(db, schoolA.id, planOfA)),
    needOfA: needsOfA.needId,
    needOfB: needsOfB.needId,
    evidenceOfA: needsOfA.evidenceId,
    evidenceOfB: needsOfB.evidenceId,
    barrierOfA: needsOfA.barrierId,
    priorityOfA: needsOfA.priorityId,
    snapshotOfA: needsOfA.snapshotId,
    snapshotOfB: needsOfB.snapshotId,
    planOfA,
    fundingLineOfA,
    outcomeLineOfA,
    jointCommissionOfA: jointOfA.id,
  };
});

/** One outcome and one output on the first version of `planId`, for the plan routes. */
async function createPlanFixture(
  db: TestApp['database']['db'],
  organisationId: number,
  planId: number,
) {
  const now = new Date().toISOString();
  const [version] = await listVersions(db, organisationId, planId);
  if (!version) throw new Error('The fixture plan has no version');
  const outcomeId = await addOutcome(db, organisationId, version.id, {
    description: 'Raise attendance',
    measure: 'attendance_rate',
    questionnaire_name: null,
    audience_rule: null,
    audience_rule_tree: null,
    baseline_value: 90,
    baseline_pupils: 10,
    baseline_academic_year: 2024,
    baseline_taken_at: now,
    target_value: 95,
    target_date: '2099-07-31',
  });
  const outputId = await addOutput(db, organisationId, version.id, {
    description: 'Sessions delivered',
    target_number: 30,
  });
  return { outcomeOfA: outcomeId, outputOfA: outputId };
}

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
        if (!reachesAddressedOrganisation(role, route.url)) {
          if (response.statusCode !== 404) {
            failures.push(`${role} ${route.method} ${url}: ${response.statusCode}, expected 404`);
          }
          continue;
        }
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

  it('hides another school’s need, evidence and analysis', async () => {
    const cookie = cookies.get(userKey('senior_leader', 'A')) as string;
    const urls = [
      `/schools/${fixture.schoolA}/needs/${fixture.needOfB}`,
      `/schools/${fixture.schoolA}/needs/${fixture.needOfA}/evidence/${fixture.evidenceOfB}/file`,
      `/schools/${fixture.schoolA}/needs/${fixture.needOfB}/evidence/${fixture.evidenceOfB}/file`,
      `/schools/${fixture.schoolA}/analyses/${fixture.snapshotOfB}`,
    ];

    for (const url of urls) {
      const response = await request('GET', url, cookie);
      expect(response.statusCode, url).toBe(404);
    }
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
