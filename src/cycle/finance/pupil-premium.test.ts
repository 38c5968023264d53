import { describe, expect, it } from 'vitest';
import {
  financialYearDates,
  financialYearOf,
  formatFinancialYear,
  isFinancialYear,
} from './financial-year.js';
import {
  allocatePupilPremium,
  countPremiumPupils,
  MissingPremiumRateError,
  premiumCensus,
  type PremiumCounts,
  type PremiumPupil,
  type PremiumRate,
} from './pupil-premium.js';
import { DEFAULT_PREMIUM_RATES } from './reference-data.js';

const NONE: PremiumCounts = {
  ever6_fsm_primary: 0,
  ever6_fsm_secondary: 0,
  looked_after: 0,
  previously_looked_after: 0,
  service_child: 0,
};

describe('allocatePupilPremium', () => {
  it('multiplies pupils by 2025-26 rates', () => {
    const counts = {
      ...NONE,
      ever6_fsm_primary: 10,
      looked_after: 2,
      previously_looked_after: 1,
      service_child: 3,
    };

    const allocation = allocatePupilPremium(2025, counts, DEFAULT_PREMIUM_RATES);

    // 10 × £1,515 + 1 × £2,630 + 3 × £350 = £18,830 to the school;
    // 2 × £2,630 = £5,260 to the local authority for the looked-after pupils.
    expect(allocation.schoolPence).toBe(1_883_000);
    expect(allocation.localAuthorityPence).toBe(526_000);
    expect(allocation.lines.map((line) => line.pence)).toEqual([
      1_515_000, 0, 526_000, 263_000, 105_000,
    ]);
    expect(allocation.lines.find((line) => line.category === 'looked_after')?.payee).toBe(
      'local_authority',
    );
    expect(allocation.unconfirmedCategories).toEqual([]);
  });

  it('marks an unconfirmed rate', () => {
    const allocation = allocatePupilPremium(
      2025,
      { ...NONE, ever6_fsm_secondary: 4 },
      DEFAULT_PREMIUM_RATES,
    );

    expect(allocation.schoolPence).toBe(430_000);
    expect(allocation.unconfirmedCategories).toEqual(['ever6_fsm_secondary']);
  });

  it('uses only the requested year', () => {
    const allocation = allocatePupilPremium(
      2024,
      { ...NONE, ever6_fsm_secondary: 4 },
      DEFAULT_PREMIUM_RATES,
    );

    expect(allocation.schoolPence).toBe(420_000);
    expect(allocation.unconfirmedCategories).toEqual([]);
  });

  it('names the year and category of a missing rate', () => {
    const counts = { ...NONE, ever6_fsm_primary: 1, service_child: 1 };

    const allocate = () => allocatePupilPremium(2026, counts, DEFAULT_PREMIUM_RATES);

    expect(allocate).toThrow(MissingPremiumRateError);
    expect(allocate).toThrow(
      'No Pupil Premium rate for 2026-27: Ever-6 FSM, reception to year 6, Service child (service pupil premium).',
    );
  });

  it('needs no rate for an empty category', () => {
    const rates: PremiumRate[] = [
      {
        financialYear: 2026,
        category: 'service_child',
        pencePerPupil: 36_000,
        source: 'Typed in',
        confirmed: false,
      },
    ];

    const allocation = allocatePupilPremium(2026, { ...NONE, service_child: 2 }, rates);

    expect(allocation.schoolPence).toBe(72_000);
    expect(allocation.lines[0]?.rate).toBeNull();
  });

  it('rejects two rates for one category', () => {
    const twice = [...DEFAULT_PREMIUM_RATES, DEFAULT_PREMIUM_RATES[0] as PremiumRate];

    expect(() => allocatePupilPremium(2024, NONE, twice)).toThrow(RangeError);
  });

  it('rejects a fractional count', () => {
    expect(() =>
      allocatePupilPremium(2024, { ...NONE, service_child: 1.5 }, DEFAULT_PREMIUM_RATES),
    ).toThrow(RangeError);
  });
});

function pupil(facts: Partial<PremiumPupil>): PremiumPupil {
  return {
    ncYear: '7',
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: false,
    ...facts,
  };
}

const FSM_2022 = { fsmPeriods: [{ start: '2022-09-01', end: null }] };
const CENSUS = '2024-10-03';

describe('countPremiumPupils', () => {
  it('counts each rule once', () => {
    const pupils = [
      pupil({ ...FSM_2022, ncYear: '3' }),
      pupil({ ...FSM_2022, ncYear: 'R' }),
      pupil({ ...FSM_2022, ncYear: '6' }),
      pupil({ ...FSM_2022, ncYear: '7' }),
      pupil({ ...FSM_2022, ncYear: '11' }),
      pupil({ ...FSM_2022, inCare: true }),
      pupil({ ...FSM_2022, previouslyLookedAfter: true }),
      pupil({ inCare: true, previouslyLookedAfter: true }),
      pupil({ ...FSM_2022, serviceChild: true }),
      pupil({ serviceChild: true, previouslyLookedAfter: true }),
      pupil({ ncYear: '8' }),
    ];

    const result = countPremiumPupils(pupils, CENSUS, 'secondary');

    expect(result.counts).toEqual({
      ever6_fsm_primary: 3,
      ever6_fsm_secondary: 3,
      looked_after: 2,
      previously_looked_after: 2,
      service_child: 2,
    });
    expect(result.outsideFundedYears).toBe(0);
    expect(result.phaseUnknown).toBe(0);
    expect(result.reportedWithoutGround).toBe(0);
  });

  it('leaves out nursery and sixth form', () => {
    const pupils = ['N1', 'N2', '12', '13', '14'].map((ncYear) => pupil({ ...FSM_2022, ncYear }));

    const result = countPremiumPupils(pupils, CENSUS, 'all-through');

    expect(result.counts).toEqual(NONE);
    expect(result.outsideFundedYears).toBe(5);
  });

  it('takes the phase from the school', () => {
    const pupils = [pupil({ ...FSM_2022, ncYear: null }), pupil({ ...FSM_2022, ncYear: 'X' })];

    expect(countPremiumPupils(pupils, CENSUS, 'primary').counts.ever6_fsm_primary).toBe(2);
    expect(countPremiumPupils(pupils, CENSUS, 'secondary').counts.ever6_fsm_secondary).toBe(2);
    const unknown = countPremiumPupils(pupils, CENSUS, 'all-through');
    expect(unknown.counts).toEqual(NONE);
    expect(unknown.phaseUnknown).toBe(2);
  });

  it('uses the Ever-6 window', () => {
    const pupils = [
      pupil({ fsmPeriods: [{ start: '2017-01-01', end: '2018-10-03' }] }),
      pupil({ fsmPeriods: [{ start: '2017-01-01', end: '2018-10-04' }] }),
      pupil({ fsmPeriods: [{ start: '2024-10-04', end: null }] }),
    ];

    // Census 3 October 2024: the window starts on 4 October 2018.
    expect(countPremiumPupils(pupils, CENSUS, 'secondary').counts.ever6_fsm_secondary).toBe(1);
  });

  it('reports a flag without a ground', () => {
    const pupils = [pupil({ reported: { fsmNow: null, ever6Fsm: null, pupilPremium: true } })];

    const result = countPremiumPupils(pupils, CENSUS, 'secondary');

    expect(result.counts).toEqual(NONE);
    expect(result.reportedWithoutGround).toBe(1);
  });
});

describe('premiumCensus', () => {
  it.each([
    [2025, 2024, '2024-10-03'],
    [2026, 2025, '2025-10-02'],
    [2024, 2023, '2023-10-05'],
  ])('financial year %i uses the October census of %i', (year, academicYear, censusDate) => {
    expect(premiumCensus(year)).toEqual({ academicYear, censusDate });
  });
});

describe('financial years', () => {
  it('formats and dates a year', () => {
    expect(formatFinancialYear(2025)).toBe('2025-26');
    expect(formatFinancialYear(2099)).toBe('2099-00');
    expect(financialYearDates(2025)).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  });

  it.each([
    ['2026-03-31', 2025],
    ['2026-04-01', 2026],
    ['2025-12-25', 2025],
  ])('places %s in %i', (date, year) => {
    expect(financialYearOf(date)).toBe(year);
  });

  it('accepts plausible years only', () => {
    expect(isFinancialYear(2025)).toBe(true);
    expect(isFinancialYear(20255)).toBe(false);
    expect(isFinancialYear(2025.5)).toBe(false);
  });
});
