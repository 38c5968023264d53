import { readFileSync } from 'node:fs';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, it, expect } from 'vitest';

import {
  mean,
  newcombeDifference,
  pooledRate,
  sampleVariance,
  welchMeanDifference,
  wilsonInterval,
} from './statistics.js';

// Values computed with SciPy by scripts/reference/statistics_reference.py.
interface Reference {
  samples: Record<string, number[]>;
  descriptive: { name: string; mean: number | null; variance: number | null }[];
  welch: {
    a: string;
    b: string;
    confidence?: number;
    difference: number;
    standardError: number;
    degreesOfFreedom: number;
    low: number;
    high: number;
  }[];
  wilson: { successes: number; trials: number; confidence?: number; low: number; high: number }[];
  newcombe: {
    successesA: number;
    trialsA: number;
    successesB: number;
    trialsB: number;
    difference: number;
    low: number;
    high: number;
  }[];
  quantiles: { distribution: 't' | 'normal'; p: number; df: number | null; quantile: number }[];
  pooled: { numerators: number[]; denominators: number[]; rate: number | null }[];
}

const reference = JSON.parse(
  readFileSync(new URL('./reference/statistics-reference.json', import.meta.url), 'utf8'),
) as Reference;

/** Tolerance for figures built on Student's t: stdlib's quantile agrees with SciPy's to about 1e-9. */
const T_TOLERANCE = 1e-8;

/** Checks agreement to `relative` times the expected value, or absolutely when that is below 1. */
function expectClose(actual: number | null | undefined, expected: number, relative = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const tolerance = relative * Math.max(1, Math.abs(expected));
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance);
}

function sample(name: string): number[] {
  const values = reference.samples[name];
  if (values === undefined) {
    throw new Error(`Reference sample not found: ${name}`);
  }
  return values;
}

describe('mean and sampleVariance', () => {
  it.each(reference.descriptive)(
    '$name matches NumPy',
    ({ name, mean: expectedMean, variance }) => {
      const values = sample(name);

      if (expectedMean === null) {
        expect(mean(values)).toBeNull();
      } else {
        expectClose(mean(values), expectedMean);
      }
      if (variance === null) {
        expect(sampleVariance(values)).toBeNull();
      } else {
        expectClose(sampleVariance(values), variance);
      }
    },
  );

  it('rejects non-finite values', () => {
    expect(() => mean([1, Number.NaN])).toThrow(RangeError);
    expect(() => sampleVariance([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('quantile functions', () => {
  it.each(reference.quantiles)(
    '$distribution at df $df matches SciPy',
    ({ distribution, p, df, quantile }) => {
      const actual =
        distribution === 't' ? tQuantile(p, df ?? Number.NaN) : normalQuantile(p, 0, 1);

      expectClose(actual, quantile, T_TOLERANCE);
    },
  );
});

describe('welchMeanDifference', () => {
  it.each(reference.welch)('$a minus $b matches SciPy', (row) => {
    const result = welchMeanDifference(sample(row.a), sample(row.b), row.confidence);

    expectClose(result?.difference, row.difference);
    expectClose(result?.standardError, row.standardError);
    expectClose(result?.degreesOfFreedom, row.degreesOfFreedom);
    expectClose(result?.interval?.low, row.low, T_TOLERANCE);
    expectClose(result?.interval?.high, row.high, T_TOLERANCE);
  });

  it('returns null for an empty sample', () => {
    expect(welchMeanDifference([], [1, 2, 3])).toBeNull();
    expect(welchMeanDifference([1, 2, 3], [])).toBeNull();
  });

  it('gives no interval for a single value', () => {
    const result = welchMeanDifference([100], [98, 102, 106]);

    expect(result?.difference).toBe(-2);
    expect(result?.interval).toBeNull();
    expect(result?.degreesOfFreedom).toBeNull();
  });

  it('gives no interval when both are constant', () => {
    const result = welchMeanDifference([5, 5, 5], [7, 7]);

    expect(result?.difference).toBe(-2);
    expect(result?.standardError).toBeNull();
    expect(result?.interval).toBeNull();
  });

  it.each([0, 1, -0.5, 95, Number.NaN])('rejects confidence %s', (confidence) => {
    expect(() => welchMeanDifference([1, 2], [3, 4], confidence)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it.each(reference.wilson)(
    '$successes of $trials matches SciPy',
    ({ successes, trials, confidence, low, high }) => {
      const interval = wilsonInterval(successes, trials, confidence);

      expectClose(interval?.low, low);
      expectClose(interval?.high, high);
    },
  );

  it('returns null for no trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it.each([
    [-1, 10],
    [11, 10],
    [1.5, 10],
    [1, Number.NaN],
  ])('rejects %s of %s', (successes, trials) => {
    expect(() => wilsonInterval(successes, trials)).toThrow(RangeError);
  });
});

describe('newcombeDifference', () => {
  it.each(reference.newcombe)(
    '$successesA/$trialsA minus $successesB/$trialsB matches reference',
    ({ successesA, trialsA, successesB, trialsB, difference, low, high }) => {
      const result = newcombeDifference(successesA, trialsA, successesB, trialsB);

      expectClose(result?.difference, difference);
      expectClose(result?.interval.low, low);
      expectClose(result?.interval.high, high);
    },
  );

  it('returns null when a group is empty', () => {
    expect(newcombeDifference(0, 0, 3, 10)).toBeNull();
    expect(newcombeDifference(3, 10, 0, 0)).toBeNull();
  });

  it('stays within minus one to one', () => {
    const result = newcombeDifference(10, 10, 0, 20);

    expect(result?.interval.high).toBeLessThanOrEqual(1);
    expect(result?.interval.low).toBeGreaterThanOrEqual(-1);
  });
});

describe('pooledRate', () => {
  it.each(reference.pooled)(
    'pools $numerators over $denominators',
    ({ numerators, denominators, rate }) => {
      const actual = pooledRate(numerators, denominators);

      if (rate === null) {
        expect(actual).toBeNull();
      } else {
        expectClose(actual, rate);
      }
    },
  );

  it('rejects arrays of different lengths', () => {
    expect(() => pooledRate([1, 2], [3])).toThrow(RangeError);
  });

  it('rejects negative counts', () => {
    expect(() => pooledRate([-1], [3])).toThrow(RangeError);
  });
});
