import type { Kysely } from 'kysely';
import { addFundingLine } from '../../src/cycle/finance/funding-store.js';
import { addOutcome, listVersions } from '../../src/cycle/plan/plan-store.js';
import { addNeedBarriers } from '../../src/cycle/understand/need-barrier-store.js';
import { addEvidence } from '../../src/cycle/understand/need-evidence-store.js';
import { updateNeed } from '../../src/cycle/understand/need-store.js';
import type { Database } from '../../src/platform/db/schema.js';
import { createPlanRow } from './plans.js';
import { insertImportRow, insertPupilRow } from './pupil-rows.js';

/**
 * Gives a secondary school what its 2025-26 Pupil Premium strategy statement is built from:
 * four pupils in 2024/25, whose October 2024 census funds 2025-26 (one Ever-6 FSM pupil in year
 * 8, one previously looked after, one service child and one with no eligibility), and one
 * approved plan, "Attendance mentoring", from September 2025 to July 2027, with one outcome and
 * £7,000.00 of 2025-26 Pupil Premium. The plan answers the need "Persistent absence", which has
 * a barrier and one piece of evidence and is met by an outside service. Returns the plan's id.
 */
export async function seedStrategySchool(db: Kysely<Database>, schoolId: number): Promise<number> {
  const importId = await insertImportRow(db, schoolId, 2024);
  const pupils = [
    { upn: 'A801200100001', ncYear: '8', fsmStart: '2022-09-01' },
    { upn: 'A801200100002', ncYear: '9', previouslyLookedAfter: true },
    { upn: 'A801200100003', ncYear: '10', serviceChild: true },
    { upn: 'A801200100004', ncYear: '11' },
  ];
  for (const pupil of pupils) {
    await insertPupilRow(db, schoolId, importId, { ...pupil, academicYear: 2024 });
  }

  const planId = await createPlanRow(db, schoolId, {
    title: 'Attendance mentoring',
    startDate: '2025-09-01',
    endDate: '2027-07-16',
  });
  const { need_id: needId } = await db
    .selectFrom('plans')
    .select('need_id')
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  await updateNeed(db, schoolId, needId, {
    title: 'Persistent absence',
    description: 'Disadvantaged pupils miss twice as many sessions.',
    delivery: 'external',
  });
  await addNeedBarriers(db, schoolId, needId, [
    { label: 'Low attendance', classification: 'internal_external', note: '' },
  ]);
  await addEvidence(db, schoolId, needId, {
    kind: 'data_analysis',
    evidenceDate: '2025-03-02',
    summary: 'Persistent absence 31% against 14%',
    snapshotId: null,
    file: null,
    createdBy: null,
  });

  const [version] = await listVersions(db, schoolId, planId);
  await addOutcome(db, schoolId, version?.id ?? 0, {
    description: 'Better attendance',
    measure: 'attendance_rate',
    questionnaire_name: null,
    audience_rule: null,
    audience_rule_tree: null,
    baseline_value: 88,
    baseline_pupils: 34,
    baseline_academic_year: 2024,
    baseline_taken_at: '2025-06-01T10:00:00.000Z',
    target_value: 93,
    target_date: '2026-07-17',
  });
  await addFundingLine(
    db,
    schoolId,
    planId,
    {
      source: 'pupil_premium',
      funder: '',
      amountPence: 700_000,
      status: 'secured',
      financialYear: 2025,
      expectedDate: null,
      note: '',
    },
    null,
  );
  return planId;
}
