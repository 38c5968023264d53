import { describe, expect, it } from 'vitest';
import {
  academicYearOf,
  assembleStrategyStatement,
  choosePlans,
  describeChallenge,
  describeSuccessCriteria,
  OUTCOMES_REVIEW_GAP,
  PROVIDER_NOT_RECORDED,
  type StrategyNeed,
  type StrategyOutcome,
  type StrategyPlan,
  type StrategySources,
} from './strategy-statement.js';

function need(fields: Partial<StrategyNeed> & Pick<StrategyNeed, 'id' | 'title'>): StrategyNeed {
  return {
    description: '',
    priority: 'medium',
    delivery: null,
    barriers: [],
    evidence: [],
    ...fields,
  };
}

function plan(fields: Partial<StrategyPlan> & Pick<StrategyPlan, 'id' | 'title' | 'needId'>) {
  return {
    approvedVersion: 1,
    audienceRule: null,
    startDate: null,
    endDate: null,
    outcomes: [],
    premiumLinesPence: [],
    tier: null,
    ...fields,
  } satisfies StrategyPlan;
}

function outcome(fields: Partial<StrategyOutcome>): StrategyOutcome {
  return {
    description: 'An outcome',
    measure: 'attendance_rate',
    questionnaireName: null,
    audienceRule: null,
    baselineValue: 88,
    baselinePupils: 34,
    baselineAcademicYear: 2024,
    targetValue: 93,
    targetDate: '2026-07-17',
    ...fields,
  };
}

/**
 * A secondary school in financial year 2025 with two needs answered by four approved plans, a
 * need answered only by plans the statement leaves out, and a plan with no tier yet.
 */
function brookfield(): StrategySources {
  return {
    financialYear: 2025,
    schoolName: 'Brookfield Academy',
    roll: { academicYear: 2025, pupils: 1146, disadvantaged: 202, serviceChildren: 3 },
    allocation: {
      kind: 'worked_out',
      schoolPence: 21_876_000,
      estimate: false,
      censusDate: '2024-10-03',
    },
    inputs: {
      statementOfIntent: 'Every pupil reads fluently by year 8.',
      authorisedBy: 'Mrs K Shah, headteacher',
      pupilPremiumLead: 'Mr J Okafor',
      governorLead: 'Dr R Evans',
      publishedOn: '2025-12-15',
      nextReviewOn: '2026-07-20',
      carriedForwardPence: 1_250_050,
    },
    needs: [
      need({
        id: 10,
        title: 'Attendance',
        priority: 'medium',
        delivery: 'external',
        barriers: [{ label: 'Poor attendance', classification: 'internal_external', note: '' }],
        evidence: [{ kind: 'data_analysis', summary: 'Persistent absence 31% against 14%' }],
      }),
      need({
        id: 11,
        title: 'Reading at entry',
        description: 'Disadvantaged pupils arrive reading two years behind.',
        priority: 'high',
        delivery: 'internal',
        barriers: [{ label: 'Low literacy', classification: 'internal', note: 'reading ages' }],
        evidence: [
          { kind: 'research', summary: 'EEF guidance on literacy in secondary schools' },
          { kind: 'teacher_observation', summary: 'Year 7 pupils avoid reading aloud ' },
        ],
      }),
      need({ id: 12, title: 'Wellbeing', priority: 'high' }),
    ],
    plans: [
      plan({
        id: 1,
        title: 'Reading tuition',
        needId: 11,
        approvedVersion: 2,
        tier: 'targeted_support',
        premiumLinesPence: [500_000, 250_050],
        startDate: '2025-09-01',
        endDate: '2027-07-16',
        outcomes: [
          outcome({
            description: 'Reading ages catch up',
            measure: 'questionnaire',
            questionnaireName: 'New Group Reading Test',
            baselineValue: 85,
            baselinePupils: null,
            baselineAcademicYear: null,
            targetValue: 95,
            targetDate: '2027-07-16',
          }),
        ],
      }),
      plan({
        id: 2,
        title: 'Attendance mentoring',
        needId: 10,
        tier: 'wider_strategies',
        premiumLinesPence: [700_000],
        startDate: '2025-09-01',
        endDate: '2026-07-17',
        audienceRule: 'disadvantaged and attendance < 90%',
        outcomes: [
          outcome({ description: 'Better attendance' }),
          outcome({
            description: 'Less persistent absence',
            measure: 'persistent_absence',
            audienceRule: 'year in (9, 10)',
            baselineValue: 31.2,
            baselinePupils: 1,
            targetValue: 20,
          }),
        ],
      }),
      plan({
        id: 3,
        title: 'Staff CPD',
        needId: 11,
        tier: 'teaching',
        startDate: '2025-04-01',
        endDate: '2025-08-31',
        outcomes: [
          outcome({
            description: 'Fewer suspensions',
            measure: 'suspension_rate',
            baselineValue: null,
            baselinePupils: null,
            baselineAcademicYear: null,
            targetValue: 2,
            targetDate: '2026-03-31',
          }),
        ],
      }),
      plan({ id: 4, title: 'Wellbeing sessions', needId: 12 }),
      plan({ id: 5, title: 'Draft plan', needId: 12, approvedVersion: null, tier: 'teaching' }),
      plan({ id: 6, title: 'Homework club', needId: 10, premiumLinesPence: [100_000] }),
    ],
  };
}

describe('assembleStrategyStatement', () => {
  it('fills the school overview', () => {
    const { data, figures } = assembleStrategyStatement(brookfield());

    expect(data.schoolName).toBe('Brookfield Academy');
    expect(data.pupilCount).toBe(1146);
    expect(data.eligiblePupilCount).toBe(202);
    // 202 / 1146 = 17.626…%, which rounds to 17.6%.
    expect(figures.eligibleTenthsOfPercent).toBe(176);
    // Starts in 2025/26; the last plan ends on 16 July 2027, in 2026/27.
    expect(data.academicYearsCovered).toBe('2025/26 to 2026/27');
    expect(data.publishedOn).toBe('15 December 2025');
    expect(data.nextReviewOn).toBe('20 July 2026');
    expect(data.authorisedBy).toBe('Mrs K Shah, headteacher');
    expect(data.pupilPremiumLead).toBe('Mr J Okafor');
    expect(data.governorLead).toBe('Dr R Evans');
    expect(data.statementOfIntent).toBe('Every pupil reads fluently by year 8.');
  });

  it('adds up the funding', () => {
    const { data, figures } = assembleStrategyStatement(brookfield());

    expect(data.funding).toEqual({ allocationPence: 21_876_000, carriedForwardPence: 1_250_050 });
    // £218,760.00 + £12,500.50 = £231,260.50.
    expect(figures.totalBudgetPence).toBe(23_126_050);
  });

  it('numbers challenges by priority', () => {
    const { data } = assembleStrategyStatement(brookfield());

    expect(data.challenges).toEqual([
      'Reading at entry\nDisadvantaged pupils arrive reading two years behind.\n' +
        'Barriers to learning: Low literacy (internal): reading ages',
      'Attendance\nBarriers to learning: Poor attendance (internal and external)',
    ]);
  });

  it('words outcomes in plan order', () => {
    const { data } = assembleStrategyStatement(brookfield());

    expect(data.intendedOutcomes).toEqual([
      {
        outcome: 'Reading ages catch up',
        successCriteria:
          'The score on New Group Reading Test rises from 85.0 points to 95.0 points by ' +
          '16 July 2027. Baseline entered by the school from its own survey.',
      },
      {
        outcome: 'Fewer suspensions',
        successCriteria:
          'Pupils suspended reaches 2.0% by 31 March 2026. No baseline was recorded.',
      },
      {
        outcome: 'Better attendance',
        successCriteria:
          'Attendance rate rises from 88.0% to 93.0% by 17 July 2026. Baseline from 34 ' +
          'pupils’ records in 2024/25. Pupils: disadvantaged and attendance < 90%.',
      },
      {
        outcome: 'Less persistent absence',
        successCriteria:
          'Persistent absence falls from 31.2% to 20.0% by 17 July 2026. Baseline from 1 ' +
          'pupil’s records in 2024/25. Pupils: year in (9, 10).',
      },
    ]);
  });

  it('puts plans in their tiers', () => {
    const { data, figures } = assembleStrategyStatement(brookfield());

    expect(data.activity.teaching).toEqual({
      budgetedCostPence: 0,
      activities: [
        {
          activity: 'Staff CPD',
          evidence:
            'Research: EEF guidance on literacy in secondary schools\n' +
            'Teacher observation: Year 7 pupils avoid reading aloud',
          challengeNumbers: [1],
        },
      ],
    });
    expect(data.activity.targetedSupport.budgetedCostPence).toBe(750_050);
    expect(data.activity.targetedSupport.activities.map((row) => row.activity)).toEqual([
      'Reading tuition',
    ]);
    expect(data.activity.widerStrategies).toEqual({
      budgetedCostPence: 700_000,
      activities: [
        {
          activity: 'Attendance mentoring',
          evidence: 'Data analysis: Persistent absence 31% against 14%',
          challengeNumbers: [2],
        },
      ],
    });
    // £0.00 + £7,500.50 + £7,000.00; the homework club has no tier, so its £1,000.00 is left out.
    expect(figures.totalActivityCostPence).toBe(1_450_050);
  });

  it('lists plans and those left out', () => {
    const assembly = assembleStrategyStatement(brookfield());

    expect(assembly.plans).toEqual([
      {
        id: 1,
        title: 'Reading tuition',
        tier: 'targeted_support',
        premiumPence: 750_050,
        challengeNumber: 1,
        external: false,
      },
      {
        id: 3,
        title: 'Staff CPD',
        tier: 'teaching',
        premiumPence: 0,
        challengeNumber: 1,
        external: false,
      },
      {
        id: 2,
        title: 'Attendance mentoring',
        tier: 'wider_strategies',
        premiumPence: 700_000,
        challengeNumber: 2,
        external: true,
      },
      {
        id: 6,
        title: 'Homework club',
        tier: null,
        premiumPence: 100_000,
        challengeNumber: 2,
        external: true,
      },
    ]);
    expect(assembly.leftOut).toEqual([
      {
        id: 4,
        title: 'Wellbeing sessions',
        reason: 'Has no start or end date and draws no Pupil Premium from 2025-26',
      },
      { id: 5, title: 'Draft plan', reason: 'No version is approved yet' },
    ]);
  });

  it('marks the gaps of Part B', () => {
    const { data } = assembleStrategyStatement(brookfield());

    expect(data.previousYear).toEqual({
      academicYear: '2024/25',
      outcomesReview: OUTCOMES_REVIEW_GAP,
      externalProgrammes: [
        { programme: 'Attendance mentoring', provider: PROVIDER_NOT_RECORDED },
        { programme: 'Homework club', provider: PROVIDER_NOT_RECORDED },
      ],
      servicePupilPremium: { howSpent: '', effect: '' },
    });
    expect(data.furtherInformation).toBe('');
  });

  it('leaves out what is not known', () => {
    const sources = brookfield();
    sources.roll = null;
    sources.inputs = null;
    sources.allocation = { kind: 'missing_rates', message: 'No Pupil Premium rate' };

    const { data, figures } = assembleStrategyStatement(sources);

    expect(data.pupilCount).toBeNull();
    expect(data.eligiblePupilCount).toBeNull();
    expect(figures.eligibleTenthsOfPercent).toBeNull();
    expect(data.funding).toEqual({ allocationPence: null, carriedForwardPence: null });
    expect(figures.totalBudgetPence).toBeNull();
    expect(data.publishedOn).toBe('');
    expect(data.authorisedBy).toBe('');
    expect(data.statementOfIntent).toBe('');
    expect(data.previousYear.servicePupilPremium).toEqual({ howSpent: '', effect: '' });
  });

  it('says there was no service premium', () => {
    const sources = brookfield();
    sources.roll = { academicYear: 2025, pupils: 10, disadvantaged: 2, serviceChildren: 0 };

    const { data } = assembleStrategyStatement(sources);

    expect(data.previousYear.servicePupilPremium).toBeNull();
  });

  it('handles a school with no plans', () => {
    const sources = { ...brookfield(), plans: [] };

    const { data, figures } = assembleStrategyStatement(sources);

    expect(data.challenges).toEqual([]);
    expect(data.intendedOutcomes).toEqual([]);
    expect(data.academicYearsCovered).toBe('2025/26');
    expect(figures.totalActivityCostPence).toBe(0);
    expect(data.previousYear.externalProgrammes).toEqual([]);
  });

  it('rejects a plan whose need is missing', () => {
    const sources = brookfield();
    sources.needs = sources.needs.filter((entry) => entry.id !== 10);

    expect(() => assembleStrategyStatement(sources)).toThrow(
      'Plan 2 answers need 10, which is missing from the sources',
    );
  });
});

describe('choosePlans', () => {
  it.each<[string, string | null, string | null, boolean]>([
    ['ends on the first day', '2024-09-01', '2025-04-01', true],
    ['ends the day before', '2024-09-01', '2025-03-31', false],
    ['starts on the last day', '2026-03-31', '2026-07-31', true],
    ['starts the day after', '2026-04-01', '2026-07-31', false],
    ['has an open end', '2020-01-01', null, true],
    ['has an open start', null, '2025-06-30', true],
    ['has no dates', null, null, false],
  ])('%s', (_name, startDate, endDate, expected) => {
    const candidate = plan({ id: 1, title: 'Tutoring', needId: 1, startDate, endDate });

    const { included } = choosePlans([candidate], 2025);

    expect(included.length === 1).toBe(expected);
  });

  it('keeps a plan that draws Pupil Premium', () => {
    const candidate = plan({
      id: 1,
      title: 'Tutoring',
      needId: 1,
      startDate: '2023-09-01',
      endDate: '2024-07-31',
      premiumLinesPence: [0],
    });

    expect(choosePlans([candidate], 2025).included).toHaveLength(1);
  });

  it('explains a plan outside the year', () => {
    const candidate = plan({
      id: 7,
      title: 'Tutoring',
      needId: 1,
      startDate: '2023-09-01',
      endDate: '2024-07-31',
    });

    expect(choosePlans([candidate], 2025).leftOut).toEqual([
      {
        id: 7,
        title: 'Tutoring',
        reason: 'Does not run during 2025-26 and draws no Pupil Premium from it',
      },
    ]);
  });
});

describe('describeSuccessCriteria', () => {
  it('words a falling questionnaire score', () => {
    const text = describeSuccessCriteria(
      outcome({
        measure: 'questionnaire',
        questionnaireName: 'Anxiety scale',
        baselineValue: 40,
        targetValue: 30,
      }),
      null,
    );

    expect(text).toBe(
      'The score on Anxiety scale falls from 40.0 points to 30.0 points by 17 July 2026. ' +
        'Baseline entered by the school from its own survey.',
    );
  });

  it('keeps an unknown measure key', () => {
    const text = describeSuccessCriteria(
      outcome({ measure: 'retired_measure', baselineAcademicYear: null }),
      '  ',
    );

    expect(text).toBe(
      'retired_measure rises from 88 to 93 by 17 July 2026. Baseline from 34 pupils’ records.',
    );
  });
});

describe('describeChallenge', () => {
  it('is the title alone without detail', () => {
    expect(describeChallenge(need({ id: 1, title: 'Attendance', description: '  ' }))).toBe(
      'Attendance',
    );
  });
});

describe('academicYearOf', () => {
  it.each<[string, number]>([
    ['2025-08-31', 2024],
    ['2025-09-01', 2025],
    ['2026-01-15', 2025],
  ])('%s is in %i', (date, expected) => {
    expect(academicYearOf(date)).toBe(expected);
  });
});
