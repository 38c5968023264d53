/**
 * Descriptive statistics and 95% confidence intervals for comparing two groups of pupils.
 *
 * Plain functions over arrays and counts, with no I/O, so that each result can be checked
 * against an independent implementation (the tests compare them with SciPy). A function that
 * cannot give a meaningful figure returns null, and its documentation lists those cases. None of them
 * returns NaN.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** A closed interval on the scale of the statistic it bounds. */
export interface Interval {
  low: number;
  high: number;
}

/** The confidence level every interval in the app uses unless a caller asks otherwise. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Difference of two group means (first minus second) with Welch's interval. */
export interface MeanDifference {
  meanA: number;
  meanB: number;
  difference: number;
  /** Standard error of the difference: sqrt(varA/nA + varB/nB). */
  standardError: number | null;
  /** Welch–Satterthwaite degrees of freedom; null when no interval could be formed. */
  degreesOfFreedom: number | null;
  /** Null when either group has fewer than two values or both groups have zero variance. */
  interval: Interval | null;
}

/** Difference of two independent proportions (first minus second) with Newcombe's interval. */
export interface ProportionDifference {
  proportionA: number;
  proportionB: number;
  difference: number;
  interval: Interval;
}

/**
 * Computes the arithmetic mean. Returns null for an empty array.
 * Throws a RangeError when a value is not a finite number.
 */
export function mean(values: readonly number[]): number | null {
  assertFinite(values);
  if (values.length === 0) {
    return null;
  }
  let sum = 0;
  for (const value of values) {
    sum += value;
  }
  return sum / values.length;
}

/**
 * Computes the sample variance, with divisor n − 1. Returns null when there are fewer than
 * two values, because spread needs at least two.
 * Throws a RangeError when a value is not a finite number.
 */
export function sampleVariance(values: readonly number[]): number | null {
  const centre = mean(values);
  if (centre === null || values.length < 2) {
    return null;
  }
  // Two passes (mean, then squared deviations) keep precision when values are large and close.
  let sumOfSquares = 0;
  for (const value of values) {
    sumOfSquares += (value - centre) ** 2;
  }
  return sumOfSquares / (values.length - 1);
}

/**
 * Computes the difference of means of two independent samples (a minus b) with Welch's
 * two-sample t interval, which does not assume equal variances. The degrees of freedom come
 * from the Welch–Satterthwaite equation and the quantile from Student's t distribution.
 *
 * Returns null when either sample is empty. The interval (and its standard error and degrees
 * of freedom) is null when either sample has fewer than two values, or when both samples have
 * zero variance, because the t statistic is then undefined.
 * Throws a RangeError for a non-finite value or a confidence level outside (0, 1).
 */
export function welchMeanDifference(
  a: readonly number[],
  b: readonly number[],
  confidence: number = DEFAULT_CONFIDENCE,
): MeanDifference | null {
  assertConfidence(confidence);
  const meanA = mean(a);
  const meanB = mean(b);
  if (meanA === null || meanB === null) {
    return null;
  }
  const difference = meanA - meanB;
  const noInterval: MeanDifference = {
    meanA,
    meanB,
    difference,
    standardError: null,
    degreesOfFreedom: null,
    interval: null,
  };

  const varianceA = sampleVariance(a);
  const varianceB = sampleVariance(b);
  if (varianceA === null || varianceB === null) {
    return noInterval;
  }
  const squaredErrorA = varianceA / a.length;
  const squaredErrorB = varianceB / b.length;
  const squaredError = squaredErrorA + squaredErrorB;
  if (squaredError === 0) {
    return noInterval;
  }

  const degreesOfFreedom =
    squaredError ** 2 / (squaredErrorA ** 2 / (a.length - 1) + squaredErrorB ** 2 / (b.length - 1));
  const standardError = Math.sqrt(squaredError);
  const halfWidth = tQuantile(upperTailProbability(confidence), degreesOfFreedom) * standardError;
  return {
    meanA,
    meanB,
    difference,
    standardError,
    degreesOfFreedom,
    interval: { low: difference - halfWidth, high: difference + halfWidth },
  };
}

/**
 * Computes the Wilson score interval for a proportion `successes / trials`, without continuity
 * correction (Wilson 1927). Unlike the Wald interval it stays inside [0, 1] and is not empty
 * when the proportion is 0 or 1: for 0 of n the interval is [0, z²/(n + z²)].
 *
 * Returns null when `trials` is 0. Throws a RangeError when the counts are not whole numbers
 * with 0 ≤ successes ≤ trials, or the confidence level is outside (0, 1).
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  confidence: number = DEFAULT_CONFIDENCE,
): Interval | null {
  assertCounts(successes, trials);
  assertConfidence(confidence);
  if (trials === 0) {
    return null;
  }
  const z = normalQuantile(upperTailProbability(confidence), 0, 1);
  const proportion = successes / trials;
  const zSquared = z * z;
  const denominator = 1 + zSquared / trials;
  const centre = (proportion + zSquared / (2 * trials)) / denominator;
  const halfWidth =
    (z * Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials))) /
    denominator;
  return { low: clampToUnit(centre - halfWidth), high: clampToUnit(centre + halfWidth) };
}

/**
 * Computes the difference of two independent proportions (a minus b) with Newcombe's hybrid
 * score interval, method 10 of Newcombe (1998), "Interval estimation for the difference
 * between independent proportions: comparison of eleven methods", Statistics in Medicine
 * 17:873–890. It combines the Wilson intervals (l, u) of each proportion:
 * low = d − sqrt((pA − lA)² + (uB − pB)²) and high = d + sqrt((uA − pA)² + (pB − lB)²).
 * No continuity correction is applied. The interval is defined when a proportion is 0 or 1.
 *
 * Returns null when either group has no trials. Throws a RangeError for invalid counts or a
 * confidence level outside (0, 1).
 */
export function newcombeDifference(
  successesA: number,
  trialsA: number,
  successesB: number,
  trialsB: number,
  confidence: number = DEFAULT_CONFIDENCE,
): ProportionDifference | null {
  const wilsonA = wilsonInterval(successesA, trialsA, confidence);
  const wilsonB = wilsonInterval(successesB, trialsB, confidence);
  if (wilsonA === null || wilsonB === null) {
    return null;
  }
  const proportionA = successesA / trialsA;
  const proportionB = successesB / trialsB;
  const difference = proportionA - proportionB;
  const lowerDistance = Math.hypot(proportionA - wilsonA.low, wilsonB.high - proportionB);
  const upperDistance = Math.hypot(wilsonA.high - proportionA, proportionB - wilsonB.low);
  return {
    proportionA,
    proportionB,
    difference,
    interval: { low: difference - lowerDistance, high: difference + upperDistance },
  };
}

/**
 * Computes a pooled rate: the sum of the numerators divided by the sum of the denominators.
 * This is how DfE computes a group's overall absence rate, pooling sessions rather than
 * averaging pupils' own rates ("A guide to absence statistics").
 *
 * Returns null when the denominators sum to 0. Throws a RangeError when the arrays differ in
 * length or hold a negative or non-finite value.
 */
export function pooledRate(
  numerators: readonly number[],
  denominators: readonly number[],
): number | null {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `pooledRate needs one denominator per numerator: got ${numerators.length} numerators and ${denominators.length} denominators`,
    );
  }
  assertNonNegative(numerators);
  assertNonNegative(denominators);
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < numerators.length; index += 1) {
    numerator += numerators[index] ?? 0;
    denominator += denominators[index] ?? 0;
  }
  return denominator === 0 ? null : numerator / denominator;
}

/** Returns the upper-tail probability for a two-sided interval, 0.975 for 95%. */
function upperTailProbability(confidence: number): number {
  return 1 - (1 - confidence) / 2;
}

// Rounding in the Wilson formula can push an end a few ulps past 0 or 1.
function clampToUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function assertFinite(values: readonly number[]): void {
  const index = values.findIndex((value) => !Number.isFinite(value));
  if (index >= 0) {
    throw new RangeError(
      `Value at index ${index} is not a finite number: ${String(values[index])}`,
    );
  }
}

function assertNonNegative(values: readonly number[]): void {
  assertFinite(values);
  const index = values.findIndex((value) => value < 0);
  if (index >= 0) {
    throw new RangeError(`Value at index ${index} is negative: ${String(values[index])}`);
  }
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `Confidence level must be between 0 and 1 exclusive, for example 0.95: got ${confidence}`,
    );
  }
}

function assertCounts(successes: number, trials: number): void {
  if (
    !Number.isInteger(successes) ||
    !Number.isInteger(trials) ||
    successes < 0 ||
    successes > trials
  ) {
    throw new RangeError(
      `Counts must be whole numbers with 0 ≤ successes ≤ trials: got ${successes} successes of ${trials} trials`,
    );
  }
}
