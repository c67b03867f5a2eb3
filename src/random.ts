/**
 * A seeded pseudo-random generator shared by the ML and tuning stages.
 *
 * xoshiro128** (Blackman and Vigna, 2018) on four 32-bit words, seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Randomness is always
 * an explicit generator passed down, never a global: the same seed gives the
 * same sequence on every platform, and the state can be saved to JSON and
 * restored to continue the stream exactly where it stopped.
 */

/** The serialisable state of a {@link RandomGenerator}: four unsigned 32-bit words. */
export type RandomState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded generator of uniform integers, floats and normal deviates. */
export class RandomGenerator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Creates a generator from an integer seed (any safe integer; negative seeds are allowed). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`invalid seed: ${seed} (use an integer)`);
    // Mix both halves of the seed so seeds above 2^32 differ too.
    const low = splitmix32(seed >>> 0);
    const high = splitmix32(Math.floor(seed / 0x100000000) >>> 0);
    this.s0 = (low() ^ high()) >>> 0;
    this.s1 = (low() ^ high()) >>> 0;
    this.s2 = (low() ^ high()) >>> 0;
    this.s3 = (low() ^ high()) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Restores a generator from a state saved with {@link RandomGenerator.state}. */
  static fromState(state: RandomState): RandomGenerator {
    const generator = new RandomGenerator(0);
    [generator.s0, generator.s1, generator.s2, generator.s3] = state.map((word) => word >>> 0);
    return generator;
  }

  /** Returns the current state, a JSON-serialisable copy. */
  state(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Returns a uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Returns a uniform integer in [0, n), without modulo bias. `n` must be a positive integer ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`invalid bound: ${n} (use an integer in 1..2^32)`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % n;
    }
  }

  /** Returns a standard normal deviate (Box–Muller; uses two uniforms per call). */
  nextNormal(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Returns a fresh integer seed drawn from this generator, for a child generator. */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** Returns an independent child generator seeded from this one. */
  fork(): RandomGenerator {
    return new RandomGenerator(this.nextUint32() * 0x200000 + (this.nextUint32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Draws `count` distinct integers from [0, n) uniformly, by a partial
 * Fisher–Yates shuffle; the result is in draw order, not sorted.
 */
export function sampleWithoutReplacement(n: number, count: number, random: RandomGenerator): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const draws = Math.min(count, n);
  for (let i = 0; i < draws; i++) {
    const j = i + random.nextInt(n - i);
    const swap = indices[i];
    indices[i] = indices[j];
    indices[j] = swap;
  }
  return indices.subarray(0, draws);
}
