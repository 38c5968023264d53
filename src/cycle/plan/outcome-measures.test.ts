import { describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../pupils/model.js';
import type { AnalysisPupil } from '../understand/gap-analysis.js';
import {
  computeBaseline,
  findOutcomeMeasure,
  formatMeasureValue,
  listOutcomeMeasures,
  type OutcomeMeasure,
} from './outcome-measures.js';

function pupil(pupilId: number, changes: Partial<AnalysisPupil> = {}): AnalysisPupil {
  return {
    pupilId,
    sex: 'F',
    ncYear: '9',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    eal: null,
    senProvision: 'N',
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: null,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: [],
    results: [],
    ...changes,
  };
}

function year(possible: number, missed: number, academicYear = 2024): AttendanceRecord {
  return {
    academicYear,
    period: 'year',
    schoolLaestab: '8014001',
    possible,
    attended: possible - missed,
    authorised: missed,
    unauthorised: 0,
  };
}

function measure(key: string): OutcomeMeasure {
  const found = findOutcomeMeasure(key);
  if (!found) throw new Error(`No measure ${key}`);
  return found;
}

describe('outcome baselines', () => {
  const pupils = [
    pupil(1, { attendance: [year(300, 30)] }), // exactly 10%: persistently absent
    pupil(2, { attendance: [year(300, 15)] }),
    pupil(3, { attendance: [year(100, 40)] }),
    pupil(4), // no attendance: left out of attendance measures
  ];

  it('pools sessions for the attendance rate', () => {
    // (270 + 285 + 60) / (300 + 300 + 100) = 615 / 700 = 87.857…%
    const baseline = computeBaseline(measure('attendance_rate'), pupils, 2024);

    expect(baseline.value).toBeCloseTo((100 * 615) / 700, 10);
    expect(baseline.pupils).toBe(3);
  });

  it('counts a pupil on the 10% line as persistently absent', () => {
    // Pupils 1 (10%) and 3 (40%) of the 3 with attendance.
    const baseline = computeBaseline(measure('persistent_absence'), pupils, 2024);

    expect(baseline.value).toBeCloseTo(200 / 3, 10);
    expect(baseline.pupils).toBe(3);
  });

  it('counts every pupil on roll for the suspension rate', () => {
    const suspended = [
      pupil(1, {
        exclusions: [
          {
            academicYear: 2024,
            kind: 'suspension',
            startDate: '2024-10-01',
            sessionsLost: 2,
            reason: null,
          },
          {
            academicYear: 2024,
            kind: 'suspension',
            startDate: '2024-11-01',
            sessionsLost: 2,
            reason: null,
          },
        ],
      }),
      pupil(2, {
        exclusions: [
          {
            academicYear: 2023,
            kind: 'suspension',
            startDate: '2023-10-01',
            sessionsLost: 2,
            reason: null,
          },
        ],
      }),
      pupil(3),
      pupil(4),
    ];

    const baseline = computeBaseline(measure('suspension_rate'), suspended, 2024);

    expect(baseline).toEqual({ value: 25, pupils: 4 });
  });

  it('averages the latest numeric assessment result', () => {
    const key = 'KS2/MAT/MAT/TT/SS';
    const result = (value: string, taken: number) => ({
      key,
      result: value,
      resultDate: null,
      year: taken,
    });
    const withResults = [
      pupil(1, { results: [result('95', 2022), result('101', 2023)] }),
      pupil(2, { results: [result('110', 2023)] }),
      pupil(3, { results: [result('A', 2023)] }),
    ];

    const baseline = computeBaseline(measure(`assessment:${key}`), withResults, 2024);

    expect(baseline).toEqual({ value: 105.5, pupils: 2 });
  });

  it('gives no value when no pupil has data', () => {
    expect(computeBaseline(measure('attendance_rate'), [pupil(1)], 2024)).toEqual({
      value: null,
      pupils: 0,
    });
  });

  it('refuses to compute a questionnaire baseline', () => {
    expect(() => computeBaseline(measure('questionnaire'), [pupil(1)], 2024)).toThrow(
      /no baseline computed/,
    );
  });
});

describe('outcome measures', () => {
  it('lists the fixed measures and the named assessments', () => {
    const keys = listOutcomeMeasures().map((item) => item.key);

    expect(keys).toContain('attendance_rate');
    expect(keys).toContain('questionnaire');
    expect(keys).toContain('assessment:KS2/ENG/RD/TT/SS');
  });

  it('accepts any well-formed assessment key and rejects others', () => {
    expect(findOutcomeMeasure('assessment:KS4/MAT/MAT/TT/GR')?.label).toMatch(/Key stage 4 maths/);
    expect(findOutcomeMeasure('assessment:<script>')).toBeNull();
    expect(findOutcomeMeasure('happiness')).toBeNull();
  });

  it('formats values with their unit', () => {
    expect(formatMeasureValue(measure('attendance_rate'), 87.857)).toBe('87.9%');
    expect(formatMeasureValue(measure('assessment:KS2/MAT/MAT/TT/SS'), 105.5)).toBe('105.5 points');
  });
});
