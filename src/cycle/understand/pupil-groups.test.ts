import { describe, it, expect } from 'vitest';

import type { FsmPeriod, ReportedFlags } from '../../pupils/model.js';
import {
  ethnicityMajorGroup,
  ever6WindowStart,
  hasEnglishAsAdditionalLanguage,
  isDisadvantaged,
  isEver6Fsm,
  isFsmNow,
  pupilPremiumEligibility,
  springCensusDate,
  yearGroup,
  type PremiumFacts,
} from './pupil-groups.js';

const CENSUS = '2025-01-16';
const NO_FLAGS: ReportedFlags = { fsmNow: null, ever6Fsm: null, pupilPremium: null };

function facts(changes: Partial<PremiumFacts> = {}): PremiumFacts {
  return {
    fsmPeriods: [],
    reported: NO_FLAGS,
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: false,
    ...changes,
  };
}

function period(start: string, end: string | null): FsmPeriod {
  return { start, end };
}

describe('springCensusDate', () => {
  it.each([
    [2024, '2025-01-16'],
    [2023, '2024-01-18'],
    [2022, '2023-01-19'],
    [2021, '2022-01-20'],
    [2025, '2026-01-15'],
    [2019, '2020-01-16'],
  ])('academic year %i gives %s', (academicYear, expected) => {
    expect(springCensusDate(academicYear)).toBe(expected);
  });

  it.each([2024.5, Number.NaN, 24])('rejects %s', (academicYear) => {
    expect(() => springCensusDate(academicYear)).toThrow(RangeError);
  });
});

describe('ever6WindowStart', () => {
  it.each([
    ['2025-01-16', '2019-01-17'],
    ['2024-01-18', '2018-01-19'],
    ['2020-01-31', '2014-02-01'],
  ])('census %s starts window %s', (census, expected) => {
    expect(ever6WindowStart(census)).toBe(expected);
  });

  it.each(['2025-1-16', '2025-02-30', 'soon'])('rejects %s', (census) => {
    expect(() => ever6WindowStart(census)).toThrow(RangeError);
  });
});

describe('isEver6Fsm', () => {
  it.each([
    ['current period', [period('2022-09-04', null)], true],
    ['ended in window', [period('2020-01-10', '2023-07-20')], true],
    ['ended on first day', [period('2016-09-01', '2019-01-17')], true],
    ['ended day before window', [period('2016-09-01', '2019-01-16')], false],
    ['ended long ago', [period('2015-01-10', '2017-03-01')], false],
    ['starts on census day', [period('2025-01-16', null)], true],
    ['starts after census', [period('2025-01-17', null)], false],
    [
      'one of two periods',
      [period('2010-01-01', '2011-01-01'), period('2024-01-01', '2024-02-01')],
      true,
    ],
  ])('%s', (_name, fsmPeriods, expected) => {
    expect(isEver6Fsm(facts({ fsmPeriods }), CENSUS)).toBe(expected);
  });

  it.each([
    [{ ...NO_FLAGS, ever6Fsm: true }, true],
    [{ ...NO_FLAGS, fsmNow: true }, true],
    [{ ...NO_FLAGS, ever6Fsm: false }, false],
    [NO_FLAGS, false],
  ])('falls back to flags %o', (reported, expected) => {
    expect(isEver6Fsm(facts({ reported }), CENSUS)).toBe(expected);
  });

  it('prefers periods over flags', () => {
    const pupil = facts({
      fsmPeriods: [period('2010-01-01', '2012-01-01')],
      reported: { ...NO_FLAGS, ever6Fsm: true },
    });

    expect(isEver6Fsm(pupil, CENSUS)).toBe(false);
  });
});

describe('isFsmNow', () => {
  it.each([
    ['open period', [period('2022-09-04', null)], true],
    ['ends on census day', [period('2022-09-04', '2025-01-16')], true],
    ['ended day before', [period('2022-09-04', '2025-01-15')], false],
    ['starts on census day', [period('2025-01-16', null)], true],
    ['starts next day', [period('2025-01-17', null)], false],
  ])('%s', (_name, fsmPeriods, expected) => {
    expect(isFsmNow(facts({ fsmPeriods }), CENSUS)).toBe(expected);
  });

  it.each([
    [{ ...NO_FLAGS, fsmNow: true }, true],
    [{ ...NO_FLAGS, fsmNow: false, ever6Fsm: true }, false],
    [NO_FLAGS, false],
  ])('falls back to flags %o', (reported, expected) => {
    expect(isFsmNow(facts({ reported }), CENSUS)).toBe(expected);
  });
});

describe('isDisadvantaged', () => {
  it.each([
    ['Ever-6 FSM', facts({ fsmPeriods: [period('2020-01-10', '2023-07-20')] }), true],
    ['looked after', facts({ inCare: true }), true],
    ['previously looked after', facts({ previouslyLookedAfter: true }), true],
    ['service child only', facts({ serviceChild: true }), false],
    ['none', facts(), false],
    ['unknown care status', facts({ inCare: null, previouslyLookedAfter: null }), false],
  ])('%s', (_name, pupil, expected) => {
    expect(isDisadvantaged(pupil, CENSUS)).toBe(expected);
  });
});

describe('pupilPremiumEligibility', () => {
  it('lists every reason', () => {
    const pupil = facts({
      fsmPeriods: [period('2022-09-04', null)],
      inCare: true,
      previouslyLookedAfter: true,
      serviceChild: true,
    });

    expect(pupilPremiumEligibility(pupil, CENSUS)).toEqual({
      eligible: true,
      reasons: ['ever6_fsm', 'looked_after', 'previously_looked_after', 'service_child'],
    });
  });

  it('finds no reason', () => {
    expect(pupilPremiumEligibility(facts(), CENSUS)).toEqual({ eligible: false, reasons: [] });
  });

  it('trusts a reported flag', () => {
    const pupil = facts({ reported: { ...NO_FLAGS, pupilPremium: true } });

    expect(pupilPremiumEligibility(pupil, CENSUS)).toEqual({ eligible: true, reasons: [] });
  });

  it('counts a service child', () => {
    expect(pupilPremiumEligibility(facts({ serviceChild: true }), CENSUS)).toEqual({
      eligible: true,
      reasons: ['service_child'],
    });
  });
});

describe('hasEnglishAsAdditionalLanguage', () => {
  it.each([
    ['ENG', null, false],
    ['ENB', true, false],
    ['eng', null, false],
    ['POL', null, true],
    ['OTB', false, true],
    ['NOT', null, null],
    ['REF', true, true],
    ['NOT', false, false],
    [null, true, true],
    [null, false, false],
    [null, null, null],
    ['', null, null],
  ])('language %s with flag %s gives %s', (firstLanguage, eal, expected) => {
    expect(hasEnglishAsAdditionalLanguage({ firstLanguage, eal })).toBe(expected);
  });
});

describe('ethnicityMajorGroup', () => {
  it.each([
    ['WBRI', 'white'],
    ['WIRT', 'white'],
    ['WROM', 'white'],
    ['WPOR', 'white'],
    ['MWBC', 'mixed'],
    ['MOTH', 'mixed'],
    ['AIND', 'asian'],
    ['APKN', 'asian'],
    ['ABAN', 'asian'],
    ['CHNE', 'asian'],
    ['CHKC', 'asian'],
    ['BCRB', 'black'],
    ['BAFR', 'black'],
    ['BSOM', 'black'],
    ['OOTH', 'other'],
    ['OARA', 'other'],
    ['REFU', 'unclassified'],
    ['NOBT', 'unclassified'],
    ['wbri', 'white'],
    ['WBR', 'unclassified'],
    ['XXXX', 'unclassified'],
    ['', 'unclassified'],
    [null, 'unclassified'],
  ])('%s is %s', (code, expected) => {
    expect(ethnicityMajorGroup(code)).toBe(expected);
  });
});

describe('yearGroup', () => {
  it.each([
    ['7', { key: 'year_7', label: 'Year 7', order: 7 }],
    ['14', { key: 'year_14', label: 'Year 14', order: 14 }],
    ['R', { key: 'reception', label: 'Reception', order: 0 }],
    ['N1', { key: 'nursery_1', label: 'Nursery 1', order: -2 }],
    ['N2', { key: 'nursery_2', label: 'Nursery 2', order: -1 }],
    ['X', null],
    ['15', null],
    ['0', null],
    ['07', null],
    [null, null],
  ])('%s', (ncYear, expected) => {
    expect(yearGroup(ncYear)).toEqual(expected);
  });
});
