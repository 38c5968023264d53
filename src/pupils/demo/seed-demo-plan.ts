import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { readAudienceRule } from '../../cycle/plan/audience.js';
import { approvalAuthority } from '../../cycle/plan/approval.js';
import { findOutcomeMeasure } from '../../cycle/plan/outcome-measures.js';
import { computeOutcomeBaseline } from '../../cycle/plan/plan-service.js';
import {
  addOutcome,
  addOutput,
  createPlan,
  listVersions,
  moveVersion,
  updateDraftDetails,
} from '../../cycle/plan/plan-store.js';
import { computeSchoolGaps } from '../../cycle/understand/gap-service.js';
import { addPriority } from '../../cycle/understand/improvement-store.js';
import { currentAcademicYear } from '../../cycle/understand/improvement-plan.js';
import { addEvidence } from '../../cycle/understand/need-evidence-store.js';
import { createNeed } from '../../cycle/understand/need-store.js';
import { saveSnapshot } from '../../cycle/understand/snapshot-store.js';
import { financialYearOf, formatFinancialYear } from '../../cycle/finance/financial-year.js';
import { DEFAULT_PREMIUM_RATES } from '../../cycle/finance/reference-data.js';
import { savePremiumRates } from '../../cycle/finance/reference-store.js';
import type { Database } from '../../platform/db/schema.js';
import { londonToday } from '../../platform/http/form-fields.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatAcademicYear } from '../../platform/http/views.js';

/** The demo plan's target audience: disadvantaged pupils who miss 10% or more of sessions. */
export const DEMO_AUDIENCE_RULE = 'disadvantaged and persistent_absence';

/** Budget of the demo plan: £6,000, within the demo school's £10,000 delegated limit. */
export const DEMO_PLAN_BUDGET_PENCE = 600_000;

/**
 * Records one worked example of the first two steps at the demo school, so that a new user
 * can see a finished need and an approved plan (and fund it in the Finance step) before
 * writing their own: an improvement priority, a saved gap analysis, a need evidenced by it,
 * and a plan with two SMART outcomes whose baselines come from the demo pupils, approved by
 * the demo senior leader. Returns the plan's id.
 */
export async function seedDemoPlan(
  db: Kysely<Database>,
  school: School,
  academicYear: number,
  leaderId: number,
  delegatedLimitPence: number,
  today: Date,
  log?: Logger,
): Promise<number> {
  const todayIso = londonToday(today);
  const priority = await addPriority(db, school.id, currentAcademicYear(todayIso), {
    title: 'Raise the attendance of disadvantaged pupils',
    description: 'Close the gap in attendance between disadvantaged pupils and their peers.',
  });

  const analysis = await computeSchoolGaps(db, school.id, academicYear);
  const snapshotId = await saveSnapshot(db, school.id, {
    title: `Gaps between groups, ${formatAcademicYear(academicYear)}`,
    analysis,
    createdBy: leaderId,
  });

  const audience = readAudienceRule(DEMO_AUDIENCE_RULE);
  if (!audience.ok) throw new Error(`The demo audience rule does not parse: ${audience.error}`);
  const need = await createNeed(db, school.id, {
    title: 'Persistent absence among disadvantaged pupils',
    description:
      'Disadvantaged pupils are much more often persistently absent than their peers, and miss lessons they cannot catch up.',
    audienceRule: audience.text,
    audienceRuleTree: audience.tree,
    priority: 'high',
    improvementPriorityId: priority.id,
    status: 'planned',
    createdBy: leaderId,
  });
  await addEvidence(db, school.id, need.id, {
    kind: 'data_analysis',
    evidenceDate: todayIso,
    summary: 'The saved gap analysis shows the persistent absence gap for disadvantaged pupils.',
    snapshotId,
    file: null,
    createdBy: leaderId,
  });

  const planId = await createDemoPlan(db, school, need.id, priority.id, audience, leaderId, today);
  await approveDemoPlan(db, school, planId, leaderId, delegatedLimitPence);
  log?.info({ organisationId: school.id, needId: need.id, planId }, 'demo plan created');
  return planId;
}

async function createDemoPlan(
  db: Kysely<Database>,
  school: School,
  needId: number,
  priorityId: number,
  audience: { text: string | null; tree: string | null },
  leaderId: number,
  today: Date,
): Promise<number> {
  const now = today.toISOString();
  const start = addDays(today, 28);
  const end = addDays(today, 28 + 7 * 26 - 1);
  const planId = await createPlan(db, {
    organisationId: school.id,
    needId,
    userId: leaderId,
    title: 'Attendance mentoring',
    now,
  });
  const [version] = await listVersions(db, school.id, planId);
  if (!version) throw new Error(`Demo plan ${planId} has no version`);

  await updateDraftDetails(
    db,
    school.id,
    version.id,
    {
      title: 'Attendance mentoring',
      improvement_priority_id: priorityId,
      alignment: 'Serves the priority to raise the attendance of disadvantaged pupils.',
      audience_rule: audience.text,
      audience_rule_tree: audience.tree,
      start_date: start,
      end_date: end,
      budget_pence: DEMO_PLAN_BUDGET_PENCE,
      staff_hours: 40,
      key_contact: 'Sam Patel, attendance lead',
      responsible_leader: '',
      evaluation_strategy: '',
    },
    now,
  );
  await addDemoOutcome(db, school, version.id, audience.tree, {
    description: 'Halve persistent absence among the mentored pupils',
    measure: 'persistent_absence',
    target: (baseline) => Math.round(baseline / 2),
    targetDate: end,
    now,
  });
  await addDemoOutcome(db, school, version.id, audience.tree, {
    description: 'Raise the attendance of the mentored pupils by 4 percentage points',
    measure: 'attendance_rate',
    target: (baseline) => Math.min(100, Math.round(baseline + 4)),
    targetDate: end,
    now,
  });
  await addOutput(db, school.id, version.id, {
    description: 'Weekly mentoring sessions delivered',
    target_number: 26,
  });
  return planId;
}

async function addDemoOutcome(
  db: Kysely<Database>,
  school: School,
  versionId: number,
  audienceTree: string | null,
  outcome: {
    description: string;
    measure: string;
    target: (baseline: number) => number;
    targetDate: string;
    now: string;
  },
): Promise<void> {
  const measure = findOutcomeMeasure(outcome.measure);
  if (!measure) throw new Error(`Unknown demo measure ${outcome.measure}`);
  const { baseline, academicYear } = await computeOutcomeBaseline(
    db,
    school,
    measure,
    audienceTree,
  );
  if (baseline.value === null) throw new Error(`The demo pupils have no ${measure.key} data`);
  await addOutcome(db, school.id, versionId, {
    description: outcome.description,
    measure: measure.key,
    questionnaire_name: null,
    audience_rule: null,
    audience_rule_tree: null,
    baseline_value: baseline.value,
    baseline_pupils: baseline.pupils,
    baseline_academic_year: academicYear,
    baseline_taken_at: outcome.now,
    target_value: outcome.target(baseline.value),
    target_date: outcome.targetDate,
  });
}

async function approveDemoPlan(
  db: Kysely<Database>,
  school: School,
  planId: number,
  leaderId: number,
  delegatedLimitPence: number,
): Promise<void> {
  const [version] = await listVersions(db, school.id, planId);
  if (!version) throw new Error(`Demo plan ${planId} has no version`);
  const authority = approvalAuthority(
    ['senior_leader'],
    DEMO_PLAN_BUDGET_PENCE,
    delegatedLimitPence,
  );
  if (!authority.allowed) throw new Error(`The demo plan cannot be approved: ${authority.reason}`);
  const now = new Date().toISOString();
  await moveVersion(db, school.id, version.id, ['draft'], 'approved', {
    submitted_by: leaderId,
    submitted_at: now,
    decided_by: leaderId,
    decided_at: now,
    approval_basis: authority.basis,
    updated_at: now,
  });
}

function addDays(date: Date, days: number): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Gives the demo school Pupil Premium rates for the current financial year when the app has
 * none, so the demo can show an allocation. They repeat the latest stored year's rates and are
 * marked unconfirmed, with a source that says so; a real school enters DfE's published rates.
 */
export async function seedDemoPremiumRates(
  db: Kysely<Database>,
  school: School,
  today: Date,
): Promise<number | null> {
  const year = financialYearOf(londonToday(today));
  const latest = Math.max(...DEFAULT_PREMIUM_RATES.map((rate) => rate.financialYear));
  if (year <= latest) return null;

  const source = `Demo figures only: the ${formatFinancialYear(latest)} rates repeated, because no rates for ${formatFinancialYear(year)} are stored. Replace them with DfE's published rates.`;
  const rates = DEFAULT_PREMIUM_RATES.filter((rate) => rate.financialYear === latest).map(
    (rate) => ({ ...rate, financialYear: year, source, confirmed: false }),
  );
  await savePremiumRates(db, school.id, year, rates, null);
  return year;
}
