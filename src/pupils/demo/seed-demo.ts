/**
 * Loads the synthetic demo school into an empty database, through the same preview and commit a
 * school's own upload goes through, so the demo exercises the real import. The demo school
 * also gets two demo accounts, whose passwords change at every start.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { generateOneTimePassword } from '../../platform/auth/passwords.js';
import type { Role } from '../../platform/auth/permissions.js';
import { revokeUserSessions } from '../../platform/auth/session-store.js';
import {
  addMembership,
  createUser,
  findUserByEmail,
  setPassword,
} from '../../platform/auth/user-store.js';
import type { Database } from '../../platform/db/schema.js';
import {
  createSchool,
  findSchoolByLaestab,
  setDelegatedLimit,
  type School,
} from '../../platform/organisations/organisation-store.js';
import { commitImport, previewImport, type ImportLimits } from '../import-service.js';
import { seedDemoPlan, seedDemoPremiumRates } from './seed-demo-plan.js';
import type { ImportSummary } from '../import-store.js';
import { writeSchoolCtf } from './ctf-writer.js';
import { writeExclusionsCsv } from './csv-writers.js';
import { generateSchool, type SchoolOptions } from './generate-school.js';

/**
 * The demo school. LA number 999 belongs to no local authority in England, whose numbers run
 * from 201 (City of London) to 938 (West Sussex). So its LAESTAB and UPNs cannot match a real
 * school's or pupil's, while the UPNs still pass the check-letter rule that the importer applies.
 */
export const DEMO_SCHOOL = {
  laestab: '9999001',
  name: 'Oakfield Secondary School (demo)',
  phase: 'secondary',
  pupils: 1_000,
  seed: 'oakfield-demo',
  resultsPerPupil: 5,
} as const;

/**
 * Demo accounts in the demo school. The `.invalid` top-level domain is reserved (RFC 2606), so
 * these addresses can never belong to anyone.
 */
export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; displayName: string; role: Role }> = [
  {
    email: 'leader@demo.invalid',
    displayName: 'Sam Patel (demo senior leader)',
    role: 'senior_leader',
  },
  { email: 'governor@demo.invalid', displayName: 'Alex Morgan (demo governor)', role: 'governor' },
];

/** Large enough for the demo's files: the CTF of 1,000 pupils is about 3 MB. */
/** The demo school's delegated approval limit: £10,000. */
export const DEMO_DELEGATED_LIMIT_PENCE = 1_000_000;

const DEMO_LIMITS: ImportLimits = { maxBytes: 20 * 1024 * 1024 };

export interface DemoSeedResult {
  school: School;
  academicYear: number;
  pupilImport: { importId: number; counts: ImportSummary };
  exclusionImport: { importId: number; counts: ImportSummary };
}

/**
 * Creates the demo school and its demo accounts when the database has no organisations at
 * all, and returns what it loaded. When any organisation exists, it returns null. In both
 * cases it then gives the demo accounts new passwords with `resetDemoPasswords`.
 */
export async function seedDemoIfEmpty(
  db: Kysely<Database>,
  log?: Logger,
  today: Date = new Date(),
): Promise<DemoSeedResult | null> {
  const existing = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  let result: DemoSeedResult | null = null;
  if (existing) {
    log?.debug('demo school not created: the database already has organisations');
  } else {
    result = await seedDemoSchool(db, log, today);
  }
  await resetDemoPasswords(db, log);
  return result;
}

/**
 * Gives each demo account that exists a new random password, ends its sessions, and logs one
 * line with the addresses and passwords to sign in with. Returns the passwords by address.
 * Accounts other than `DEMO_ACCOUNTS` are never touched.
 */
export async function resetDemoPasswords(
  db: Kysely<Database>,
  log?: Logger,
): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  for (const demo of DEMO_ACCOUNTS) {
    const account = await findUserByEmail(db, demo.email);
    if (!account) continue;
    const password = generateOneTimePassword();
    await setPassword(db, account.id, password);
    await revokeUserSessions(db, account.id);
    passwords.set(demo.email, password);
  }
  if (passwords.size > 0) {
    // The one deliberate secret in the logs: these accounts are synthetic, see only the
    // synthetic demo school, and get new passwords at every start. Never log a real password.
    const signIn = [...passwords].map(([email, password]) => `${email} / ${password}`);
    log?.info(`Demo accounts: sign in at /sign-in with ${signIn.join(' or ')}`);
  }
  return passwords;
}

/**
 * Creates the demo school and loads a generated CTF of its pupils and a CSV of their suspensions
 * and permanent exclusions. The data describes the last complete academic year before `today`.
 * It also creates the demo accounts, without passwords until `resetDemoPasswords` sets them.
 * Throws when a school with the demo LAESTAB exists or when an import is rejected.
 */
export async function seedDemoSchool(
  db: Kysely<Database>,
  log?: Logger,
  today: Date = new Date(),
): Promise<DemoSeedResult> {
  const startedAt = performance.now();
  const academicYear = lastCompleteAcademicYear(today);
  if (await findSchoolByLaestab(db, DEMO_SCHOOL.laestab)) {
    throw new Error(
      `The demo school (LAESTAB ${DEMO_SCHOOL.laestab}) already exists; remove it or use another database`,
    );
  }

  const options: SchoolOptions = {
    seed: DEMO_SCHOOL.seed,
    laestab: DEMO_SCHOOL.laestab,
    name: DEMO_SCHOOL.name,
    phase: DEMO_SCHOOL.phase,
    pupils: DEMO_SCHOOL.pupils,
    academicYear,
    terms: 1,
    resultsPerPupil: DEMO_SCHOOL.resultsPerPupil,
  };
  const generated = generateSchool(options);
  const school = await createSchool(db, {
    laestab: DEMO_SCHOOL.laestab,
    name: DEMO_SCHOOL.name,
    phase: DEMO_SCHOOL.phase,
  });

  const pupilImport = await loadFile(
    db,
    school,
    'oakfield-demo-ctf.xml',
    writeSchoolCtf(generated),
    academicYear,
    log,
  );
  const exclusionImport = await loadFile(
    db,
    school,
    'oakfield-demo-exclusions.csv',
    writeExclusionsCsv(generated),
    academicYear,
    log,
  );

  // A senior leader can approve plans up to this amount; dearer plans go to the demo governor.
  await setDelegatedLimit(db, school.id, DEMO_DELEGATED_LIMIT_PENCE);

  const accountIds = new Map<string, number>();
  for (const demo of DEMO_ACCOUNTS) {
    const account = await createUser(db, { email: demo.email, displayName: demo.displayName });
    await addMembership(db, { userId: account.id, organisationId: school.id, role: demo.role });
    accountIds.set(demo.role, account.id);
  }

  const leaderId = accountIds.get('senior_leader');
  if (leaderId === undefined) throw new Error('The demo accounts include no senior leader');
  await seedDemoPlan(db, school, academicYear, leaderId, DEMO_DELEGATED_LIMIT_PENCE, today, log);
  await seedDemoPremiumRates(db, school, today);

  log?.info(
    {
      organisationId: school.id,
      academicYear,
      pupilImportId: pupilImport.importId,
      exclusionImportId: exclusionImport.importId,
      pupils: pupilImport.counts.pupils,
      exclusions: exclusionImport.counts.exclusions,
      durationMs: Math.round(performance.now() - startedAt),
    },
    'demo school created',
  );
  return { school, academicYear, pupilImport, exclusionImport };
}

/**
 * Returns the start year of the last academic year that ended before `today`. Academic years
 * run from 1 September to 31 August, so on 4 December 2026 it is 2025 (2025/26).
 */
export function lastCompleteAcademicYear(today: Date): number {
  const year = today.getUTCFullYear();
  const current = today.getUTCMonth() >= 8 ? year : year - 1;
  return current - 1;
}

async function loadFile(
  db: Kysely<Database>,
  school: School,
  fileName: string,
  text: string,
  academicYear: number,
  log?: Logger,
): Promise<{ importId: number; counts: ImportSummary }> {
  const preview = await previewImport(
    db,
    { organisationId: school.id, fileName, content: Buffer.from(text, 'utf8'), academicYear },
    DEMO_LIMITS,
    log,
  );
  if (preview.importId === null || !preview.canCommit) {
    // Only counts and the first problem's place go into the message: no pupil values.
    const first = preview.problems.find((problem) => problem.severity === 'error');
    const place = first
      ? `; the first is at ${first.location}, field ${first.field ?? 'none'}`
      : '';
    throw new Error(
      `The demo file ${fileName} was rejected by the import with ${preview.counts.errors} errors${place}`,
    );
  }
  const counts = await commitImport(
    db,
    school.id,
    preview.importId,
    { confirmOtherSchool: false },
    DEMO_LIMITS,
    log,
  );
  return { importId: preview.importId, counts };
}
