/**
 * A small seeded pseudo-random number generator for synthetic data. The same seed always gives
 * the same sequence on every platform, because it uses only 32-bit integer arithmetic.
 *
 * It is not cryptographically secure and must never be used for secrets or tokens.
 */

/** Random draws from one seeded stream. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number from `min` to `max`, both included. */
  integer(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An item chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A draw from the normal distribution with the given mean and standard deviation. */
  normal(mean: number, standardDeviation: number): number;
  /** A draw from the beta distribution with the given mean (0 to 1) and concentration (a + b). */
  beta(mean: number, concentration: number): number;
  /** The number of successes in `trials` independent trials with probability `probability` each. */
  binomial(trials: number, probability: number): number;
}

/**
 * Creates a stream from a text seed. Streams with different seeds are independent for practical
 * purposes, so a caller can derive one stream per pupil and per aspect (for example
 * `demo:42:pupil:17:attendance`) and change one aspect without shifting the others.
 */
export function createRandom(seed: string): Random {
  const state = seedState(seed);
  const next = (): number => nextUint32(state) / 4_294_967_296;

  const random: Random = {
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => pickWeighted(items, next()),
    normal: (mean, standardDeviation) => mean + standardDeviation * standardNormal(next),
    beta: (mean, concentration) => {
      const a = gamma(mean * concentration, next);
      const b = gamma((1 - mean) * concentration, next);
      return a / (a + b);
    },
    binomial: (trials, probability) => {
      let successes = 0;
      for (let trial = 0; trial < trials; trial += 1) {
        if (next() < probability) successes += 1;
      }
      return successes;
    },
  };
  return random;
}

/** Four 32-bit words of generator state. */
type State = Uint32Array;

// The seed text is hashed with FNV-1a into four words. The generator then runs a few rounds,
// so that similar seeds such as `demo:1` and `demo:2` start from unrelated states.
function seedState(seed: string): State {
  const state = new Uint32Array(4);
  for (let word = 0; word < 4; word += 1) {
    let hash = (0x811c9dc5 ^ (word * 0x9e3779b9)) >>> 0;
    for (let index = 0; index < seed.length; index += 1) {
      hash ^= seed.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    state[word] = hash;
  }
  if (state.every((value) => value === 0)) state[0] = 1;
  for (let round = 0; round < 12; round += 1) nextUint32(state);
  return state;
}

// Small fast chaotic generator (sfc32, from Chris Doty-Humphrey's PractRand): three mixing words
// and a counter, which guarantees a period of at least 2^32.
function nextUint32(state: State): number {
  const a = state[0] as number;
  const b = state[1] as number;
  const c = state[2] as number;
  const counter = state[3] as number;
  const result = (a + b + counter) >>> 0;
  state[0] = b ^ (b >>> 9);
  state[1] = (c + (c << 3)) >>> 0;
  state[2] = (((c << 21) | (c >>> 11)) + result) >>> 0;
  state[3] = (counter + 1) >>> 0;
  return result;
}

function pickWeighted<T>(items: readonly (readonly [T, number])[], draw: number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  if (items.length === 0 || !(total > 0)) {
    throw new RangeError('Weighted choice needs a positive total weight');
  }
  let threshold = draw * total;
  for (const [item, weight] of items) {
    threshold -= weight;
    if (threshold < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

// Box–Muller transform; 1 - u keeps the logarithm's argument above zero.
function standardNormal(next: () => number): number {
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// Marsaglia and Tsang's method for shape >= 1; a shape below 1 is boosted by one and scaled
// back with U^(1/shape), which keeps the distribution exact.
function gamma(shape: number, next: () => number): number {
  if (!(shape > 0)) throw new RangeError(`Gamma shape must be positive: got ${shape}`);
  if (shape < 1) return gamma(shape + 1, next) * Math.pow(1 - next(), 1 / shape);

  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(next);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = 1 - next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
