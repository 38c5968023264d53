import { listOutcomes, listPlans, listVersions } from '../../cycle/plan/plan-store.js';
import { listEvidence } from '../../cycle/understand/need-evidence-store.js';
import { listPremiumRates } from '../../cycle/finance/reference-store.js';
import { getDelegatedLimit } from '../../platform/organisations/organisation-store.js';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { computeSchoolGaps } from '../../cycle/understand/gap-service.js';
import { verifyPassword } from '../../platform/auth/passwords.js';
import { createSession, useSession } from '../../platform/auth/session-store.js';
import { createUser, findUserByEmail, loadCurrentUser } from '../../platform/auth/user-store.js';
import {
  createSchool,
  countPupilsByYear,
} from '../../platform/organisations/organisation-store.js';
import {
  DEMO_ACCOUNTS,
  DEMO_SCHOOL,
  lastCompleteAcademicYear,
  seedDemoIfEmpty,
  seedDemoSchool,
} from './seed-demo.js';

const TODAY = new Date('2026-12-04T12:00:00Z');

/** Creates a pino logger that keeps each line's message, for checking what start-up logs. */
function capturingLogger(): { log: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      messages.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), messages };
}

describe('lastCompleteAcademicYear', () => {
  it.each([
    ['2026-12-04', 2025],
    ['2026-09-01', 2025],
    ['2026-08-31', 2024],
    ['2027-01-15', 2025],
  ])('on %s is %i', (day, expected) => {
    expect(lastCompleteAcademicYear(new Date(`${day}T12:00:00Z`))).toBe(expected);
  });
});

describe.each(DIALECTS)('seedDemoIfEmpty on %s', (dialect) => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('loads demo into empty database', async () => {
    database = await createTestDatabase(dialect);

    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    expect(result).not.toBeNull();
    expect(result!.school.laestab).toBe(DEMO_SCHOOL.laestab);
    expect(result!.academicYear).toBe(2025);
    expect(result!.pupilImport.counts.newPupils).toBe(DEMO_SCHOOL.pupils);
    expect(result!.exclusionImport.counts.exclusions).toBeGreaterThan(50);
    expect(await countPupilsByYear(database.db, result!.school.id)).toEqual([
      { academicYear: 2025, pupils: DEMO_SCHOOL.pupils },
    ]);
    const imports = await database.db
      .selectFrom('imports')
      .select(['status', 'error_count'])
      .orderBy('id')
      .execute();
    expect(imports).toEqual([
      { status: 'committed', error_count: 0 },
      { status: 'committed', error_count: 0 },
    ]);
  });

  it('analysis shows disadvantage gap', async () => {
    database = await createTestDatabase(dialect);
    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    const analysis = await computeSchoolGaps(database.db, result!.school.id, result!.academicYear);
    const disadvantaged = analysis.groups.find((group) => group.group === 'disadvantaged');
    const measure = (key: string) =>
      disadvantaged?.measures.find((candidate) => candidate.measure === key);

    expect(disadvantaged?.suppressed).toBe(false);
    expect(measure('overall_absence_rate')?.gap).toBeGreaterThan(0.02);
    expect(measure('suspension')?.gap).toBeGreaterThan(0);
    expect(measure('assessment:KS2/ENG/RD/TT/SS')?.gap).toBeLessThan(-1);
  });

  it('records an evidenced need and an approved plan', async () => {
    database = await createTestDatabase(dialect);
    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);
    const schoolId = result!.school.id;

    const [plan] = await listPlans(database.db, schoolId);
    const [version] = await listVersions(database.db, schoolId, plan!.planId);
    const outcomes = await listOutcomes(database.db, schoolId, version!.id);
    const evidence = await listEvidence(database.db, schoolId, plan!.needId);

    expect(plan).toMatchObject({ status: 'approved', budgetPence: 600_000 });
    expect(version?.approval_basis).toMatch(/within the delegated limit of £10,000.00/);
    expect(evidence.map((item) => [item.kind, item.snapshotId !== null])).toEqual([
      ['data_analysis', true],
    ]);
    // Every selected pupil is persistently absent, so that baseline is 100% and the target half.
    expect(outcomes.map((outcome) => [outcome.measure, outcome.target_value])).toEqual([
      ['persistent_absence', 50],
      ['attendance_rate', expect.any(Number)],
    ]);
    expect(outcomes[0]?.baseline_value).toBe(100);
    expect(outcomes[1]!.target_value).toBeGreaterThan(outcomes[1]!.baseline_value!);
    expect(outcomes[0]?.baseline_pupils).toBeGreaterThan(5);
  });

  it('gives the demo school marked rates for a year with none stored', async () => {
    database = await createTestDatabase(dialect);
    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    const rates = (await listPremiumRates(database.db, result!.school.id)).filter(
      (rate) => rate.financialYear === 2026,
    );

    expect(rates).toHaveLength(5);
    expect(rates.every((rate) => !rate.confirmed)).toBe(true);
    expect(rates[0]?.source).toMatch(/^Demo figures only: the 2025-26 rates repeated/);
  });

  it('skips database with a school', async () => {
    database = await createTestDatabase(dialect);
    await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' });

    expect(await seedDemoIfEmpty(database.db, undefined, TODAY)).toBeNull();
    const schools = await database.db.selectFrom('organisations').select('laestab').execute();
    expect(schools).toEqual([{ laestab: '8014001' }]);
  });

  it('rejects a second demo school', async () => {
    database = await createTestDatabase(dialect);
    await seedDemoSchool(database.db, undefined, TODAY);

    await expect(seedDemoSchool(database.db, undefined, TODAY)).rejects.toThrow(/already exists/);
  });

  it('creates demo accounts', async () => {
    database = await createTestDatabase(dialect);

    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    for (const demo of DEMO_ACCOUNTS) {
      const account = await findUserByEmail(database.db, demo.email);
      const current = await loadCurrentUser(database.db, account!.id);
      expect(current?.memberships, demo.email).toEqual([
        {
          organisationId: result!.school.id,
          organisationKind: 'school',
          organisationName: DEMO_SCHOOL.name,
          role: demo.role,
        },
      ]);
    }
    expect(DEMO_ACCOUNTS.map((demo) => demo.email)).toEqual([
      'leader@demo.invalid',
      'governor@demo.invalid',
    ]);
    // The senior leader approves plans up to £10,000; the governor approves dearer ones.
    expect(await getDelegatedLimit(database.db, result!.school.id)).toBe(1_000_000);
  });

  it('logs fresh demo passwords each start', async () => {
    database = await createTestDatabase(dialect);
    const first = capturingLogger();
    const second = capturingLogger();
    await seedDemoIfEmpty(database.db, first.log, TODAY);
    const leader = await findUserByEmail(database.db, 'leader@demo.invalid');
    const session = await createSession(database.db, leader!.id, { idleMinutes: 60, maxHours: 12 });

    expect(await seedDemoIfEmpty(database.db, second.log, TODAY)).toBeNull();

    const pattern =
      /^Demo accounts: sign in at \/sign-in with leader@demo\.invalid \/ (\S+) or governor@demo\.invalid \/ (\S+)$/;
    const firstLine = first.messages.find((message) => pattern.test(message));
    const secondLine = second.messages.find((message) => pattern.test(message));
    expect(firstLine).toBeDefined();
    expect(secondLine).toBeDefined();
    const [, firstLeader] = pattern.exec(firstLine!)!;
    const [, secondLeader, secondGovernor] = pattern.exec(secondLine!)!;
    expect(secondLeader).not.toBe(firstLeader);
    const updated = await findUserByEmail(database.db, 'leader@demo.invalid');
    const governor = await findUserByEmail(database.db, 'governor@demo.invalid');
    expect(await verifyPassword(updated!.passwordHash!, secondLeader!)).toBe(true);
    expect(await verifyPassword(updated!.passwordHash!, firstLeader!)).toBe(false);
    expect(await verifyPassword(governor!.passwordHash!, secondGovernor!)).toBe(true);
    expect(
      await useSession(database.db, session.token, { idleMinutes: 60, maxHours: 12 }),
    ).toBeNull();
  });

  it('leaves other accounts alone', async () => {
    database = await createTestDatabase(dialect);
    await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' });
    const other = await createUser(database.db, {
      email: 'jo@brookfield.example',
      displayName: 'Jo',
      password: 'lantern orbit pebble',
    });
    const { log, messages } = capturingLogger();

    await seedDemoIfEmpty(database.db, log, TODAY);

    const stored = await findUserByEmail(database.db, 'jo@brookfield.example');
    expect(stored!.passwordHash).toBe(other.passwordHash);
    expect(messages.some((message) => message.startsWith('Demo accounts'))).toBe(false);
  });
});
