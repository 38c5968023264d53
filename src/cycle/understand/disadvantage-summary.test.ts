import { describe, expect, it } from 'vitest';
import { summariseDisadvantage } from './disadvantage-summary.js';
import type { AnalysisPupil } from './gap-analysis.js';

function pupil(overrides: Partial<AnalysisPupil>): AnalysisPupil {
  return {
    pupilId: 1,
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
    ...overrides,
  };
}

describe('summariseDisadvantage', () => {
  it('counts each reason and each pupil once', () => {
    const pupils = [
      pupil({ fsmPeriods: [{ start: '2024-09-01', end: null }] }),
      pupil({ fsmPeriods: [{ start: '2020-09-01', end: '2022-07-31' }], inCare: true }),
      pupil({ previouslyLookedAfter: true }),
      pupil({ serviceChild: true }),
      pupil({ fsmPeriods: [{ start: '2015-09-01', end: '2018-07-31' }] }),
      pupil({}),
    ];

    const summary = summariseDisadvantage(pupils, 2024);

    expect(summary.censusDate).toBe('2025-01-16');
    expect(summary.pupils).toBe(6);
    expect(summary.fsmNow).toBe(1);
    expect(summary.disadvantaged).toBe(3);
    expect(summary.pupilPremium).toBe(4);
    expect(summary.byReason).toEqual({
      ever6_fsm: 2,
      looked_after: 1,
      previously_looked_after: 1,
      service_child: 1,
    });
  });

  it('handles a school with no pupils', () => {
    const summary = summariseDisadvantage([], 2024);

    expect(summary.pupils).toBe(0);
    expect(summary.pupilPremium).toBe(0);
  });
});
