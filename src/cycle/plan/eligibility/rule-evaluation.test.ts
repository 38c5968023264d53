import { describe, expect, it } from 'vitest';
import type { AnalysisPupil } from '../../understand/gap-analysis.js';
import type { AttendanceRecord, ExclusionRecord } from '../../../pupils/model.js';
import {
  buildRuleFacts,
  evaluateRule,
  selectPupils,
  type InterventionMemberships,
  type RuleFacts,
} from './rule-evaluation.js';
import { parseRule, type RuleNode } from './rule-language.js';

const YEAR = 2024;

function pupil(pupilId: number, changes: Partial<AnalysisPupil> = {}): AnalysisPupil {
  return {
    pupilId,
    sex: 'F',
    ncYear: '7',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    eal: null,
    senProvision: 'N',
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: false,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: [],
    results: [],
    ...changes,
  };
}

function sessions(possible: number, attended: number, authorised: number, unauthorised = 0) {
  const record: AttendanceRecord = {
    academicYear: YEAR,
    period: 'year',
    schoolLaestab: '8014001',
    possible,
    attended,
    authorised,
    unauthorised,
  };
  return [record];
}

function exclusion(kind: ExclusionRecord['kind'], academicYear = YEAR): ExclusionRecord {
  return { academicYear, kind, startDate: `${academicYear}-11-04`, sessionsLost: 2, reason: null };
}

function ks2Maths(score: string) {
  return { key: 'KS2/MAT/MAT/TT/SS', result: score, resultDate: '2023-07-05', year: 2022 };
}

/**
 * Six pupils in 2024/25, whose census day is 16 January 2025 and whose Ever-6 window starts on
 * 17 January 2019. Each comment gives the facts the expectations below are worked out from.
 */
const PUPILS: AnalysisPupil[] = [
  // 1: female, year 9, White, FSM since 2023 (disadvantaged), missed 30 of 300 sessions
  // (exactly 10%, attended exactly 90%), 2 suspensions, KS2 maths 95.
  pupil(1, {
    ncYear: '9',
    fsmPeriods: [{ start: '2023-09-04', end: null }],
    attendance: sessions(300, 270, 20, 10),
    exclusions: [exclusion('suspension'), exclusion('suspension')],
    results: [ks2Maths('95')],
  }),
  // 2: male, year 10, Asian (APKN), Urdu first language (EAL), SEN support, missed 10 of 300
  // (3.33%, attended 96.67%), KS2 maths 108 after an earlier 99.
  pupil(2, {
    sex: 'M',
    ncYear: '10',
    ethnicity: 'APKN',
    firstLanguage: 'URD',
    senProvision: 'K',
    attendance: sessions(300, 290, 10),
    results: [
      { key: 'KS2/MAT/MAT/TT/SS', result: '99', resultDate: '2022-07-05', year: 2021 },
      ks2Maths('108'),
    ],
  }),
  // 3: male, reception, no ethnicity (unclassified), EHC plan, looked after (disadvantaged), no
  // attendance recorded.
  pupil(3, { sex: 'M', ncYear: 'R', ethnicity: null, senProvision: 'E', inCare: true }),
  // 4: no sex, no year group (X), Chinese (Asian), language and EAL unknown, previously looked
  // after (disadvantaged), no possible sessions, permanently excluded.
  pupil(4, {
    sex: null,
    ncYear: 'X',
    ethnicity: 'CHNE',
    firstLanguage: null,
    eal: null,
    previouslyLookedAfter: true,
    attendance: sessions(0, 0, 0),
    exclusions: [exclusion('permanent')],
  }),
  // 5: female, year 13, Black, service child, FSM only until 2018 (before the Ever-6 window),
  // missed 100 of 200 (exactly 50%).
  pupil(5, {
    ncYear: '13',
    ethnicity: 'BCRB',
    serviceChild: true,
    fsmPeriods: [{ start: '2015-09-01', end: '2018-01-01' }],
    attendance: sessions(200, 100, 60, 40),
  }),
  // 6: female, year 7, White Irish Traveller, missed 5 of 100, a suspension only in 2023/24.
  pupil(6, {
    ethnicity: 'WIRT',
    attendance: sessions(100, 95, 5),
    exclusions: [exclusion('suspension', 2023)],
  }),
];

const MEMBERSHIPS: InterventionMemberships = new Map([
  [2, ['Reading catch-up', 'reading catch-up']],
  [6, [' reading catch-up ', 'Mentoring']],
]);

function tree(text: string): RuleNode {
  const result = parseRule(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.tree;
}

function selectedIds(text: string, facts: readonly RuleFacts[]): number[] {
  return selectPupils(tree(text), facts).map((facts) => facts.pupilId);
}

describe('selectPupils', () => {
  const facts = buildRuleFacts(PUPILS, YEAR, MEMBERSHIPS);

  it.each<[string, number[]]>([
    ['disadvantaged', [1, 3, 4]],
    ['not disadvantaged', [2, 5, 6]],
    ['fsm', [1]],
    ['ever6_fsm', [1]],
    ['pupil_premium', [1, 3, 4, 5]],
    ['looked_after', [3]],
    ['previously_looked_after', [4]],
    ['service_child', [5]],
    ['eal', [2]],
    ['not eal', [1, 3, 4, 5, 6]],
    ['sen', [2, 3]],
    ['sen_support', [2]],
    ['ehc_plan', [3]],
    ['persistent_absence', [1, 5]],
    ['not persistent_absence', [2, 6]],
    ['severe_absence', [5]],
    ['suspended', [1]],
    ['not suspended', [2, 3, 4, 5, 6]],
    ['permanently_excluded', [4]],
    ['suspensions >= 2', [1]],
    ['suspensions = 0', [2, 3, 4, 5, 6]],
    ['suspensions in (1, 2)', [1]],
    ['absence >= 10%', [1, 5]],
    ['absence > 10%', [5]],
    ['absence >= 50%', [5]],
    ['absence < 3.34%', [2]],
    ['absence <= 3.33%', []],
    ['attendance < 90%', [5]],
    ['attendance <= 90%', [1, 5]],
    ['attendance = 95%', [6]],
    ['attendance >= 96.67%', []],
    ['attendance >= 96.66%', [2]],
    ['attendance != 50%', [1, 2, 6]],
    ['year in (9, 10)', [1, 2]],
    ['year >= 10', [2, 5]],
    ['year = R', [3]],
    ['year < 1', [3]],
    ['not year = 9', [2, 3, 5, 6]],
    ['year not in (7, 9)', [2, 3, 5]],
    ['sex = female', [1, 5, 6]],
    ['sex != female', [2, 3]],
    ['sex in (female, male)', [1, 2, 3, 5, 6]],
    ['ethnicity = asian', [2, 4]],
    ['ethnicity = unclassified', [3]],
    ['ethnicity in (black, white)', [1, 5, 6]],
    ['ethnicity != white', [2, 3, 4, 5]],
    ['ks2_maths < 100', [1]],
    ['not ks2_maths < 100', [2]],
    ['result "ks2/mat/mat/tt/ss" >= 108', [2]],
    ['ks2_reading < 200', []],
    ['interventions >= 1', [2, 6]],
    ['interventions = 1', [2]],
    ['interventions = 2', [6]],
    ['interventions = 0', [1, 3, 4, 5]],
    ['in intervention "READING CATCH-UP"', [2, 6]],
    ['in intervention "Reading"', []],
    ['not in intervention "Mentoring"', [1, 2, 3, 4, 5]],
    ['attendance < 90% or not attendance < 90%', [1, 2, 5, 6]],
    ['disadvantaged or attendance < 90%', [1, 3, 4, 5]],
    ['disadvantaged and attendance <= 90%', [1]],
    ['not (disadvantaged and attendance <= 90%)', [2, 5, 6]],
    ['disadvantaged and year in (9, 10) and attendance <= 90%', [1]],
    ['(eal or sen) and sex = male', [2, 3]],
    ['eal or sen and sex = female', [2]],
  ])('%s selects %j', (text, expected) => {
    expect(selectedIds(text, facts)).toEqual(expected);
  });

  it('keeps the order given', () => {
    const reversed = [...facts].reverse();

    expect(selectedIds('sex = female', reversed)).toEqual([6, 5, 1]);
  });
});

describe('evaluateRule', () => {
  it('is false when the rule is unknown for the pupil', () => {
    const [noAttendance] = buildRuleFacts([pupil(3)], YEAR, new Map());
    if (noAttendance === undefined) throw new Error('buildRuleFacts returned no facts');

    expect(evaluateRule(tree('attendance < 90%'), noAttendance)).toBe(false);
    expect(evaluateRule(tree('not attendance < 90%'), noAttendance)).toBe(false);
    expect(evaluateRule(tree('attendance < 90% or eal'), noAttendance)).toBe(false);
  });
});

describe('buildRuleFacts', () => {
  it('leaves exclusions unknown when none are imported', () => {
    const facts = buildRuleFacts(
      [pupil(1, { attendance: sessions(100, 100, 0) }), pupil(2)],
      YEAR,
      new Map(),
    );

    expect(selectedIds('suspended', facts)).toEqual([]);
    expect(selectedIds('not suspended', facts)).toEqual([]);
    expect(selectedIds('suspensions = 0', facts)).toEqual([]);
    expect(selectedIds('not permanently_excluded', facts)).toEqual([]);
  });

  it('orders nursery below reception and year 14 above 13', () => {
    const facts = buildRuleFacts(
      [pupil(1, { ncYear: 'N2' }), pupil(2, { ncYear: 'R' }), pupil(3, { ncYear: '14' })],
      YEAR,
      new Map(),
    );

    expect(selectedIds('year < 1', facts)).toEqual([1, 2]);
    expect(selectedIds('year = R', facts)).toEqual([2]);
    expect(selectedIds('year > 13', facts)).toEqual([3]);
    expect(selectedIds('year in (R, 13)', facts)).toEqual([2]);
  });

  it('uses reported flags without an FSM history', () => {
    const facts = buildRuleFacts(
      [
        pupil(1, { reported: { fsmNow: true, ever6Fsm: true, pupilPremium: true } }),
        pupil(2, { reported: { fsmNow: false, ever6Fsm: true, pupilPremium: true } }),
        pupil(3, { reported: { fsmNow: false, ever6Fsm: false, pupilPremium: true } }),
      ],
      YEAR,
      new Map(),
    );

    expect(selectedIds('fsm', facts)).toEqual([1]);
    expect(selectedIds('ever6_fsm', facts)).toEqual([1, 2]);
    expect(selectedIds('disadvantaged', facts)).toEqual([1, 2]);
    expect(selectedIds('pupil_premium', facts)).toEqual([1, 2, 3]);
  });

  it('counts only sessions of the year given', () => {
    const lastYear = sessions(100, 50, 50).map((record) => ({ ...record, academicYear: 2023 }));
    const facts = buildRuleFacts([pupil(1, { attendance: lastYear })], YEAR, new Map());

    expect(facts[0]?.sessions).toBeNull();
    expect(selectedIds('persistent_absence', facts)).toEqual([]);
  });
});
