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
  /** The four state words, held as signed 32-bit integers so that updates stay in integer registers. */
  private readonly words = new Int32Array(4);

  /** Creates a generator from an integer seed (any safe integer; negative seeds are allowed). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`invalid seed: ${seed} (use an integer)`);
    // Mix both halves of the seed so seeds above 2^32 differ too.
    const low = splitmix32(seed >>> 0);
    const high = splitmix32(Math.floor(seed / 0x100000000) >>> 0);
    for (let i = 0; i < 4; i++) this.words[i] = low() ^ high();
    if ((this.words[0] | this.words[1] | this.words[2] | this.words[3]) === 0) this.words[0] = 1;
  }

  /** Restores a generator from a state saved with {@link RandomGenerator.state}. */
  static fromState(state: RandomState): RandomGenerator {
    const generator = new RandomGenerator(0);
    state.forEach((word, i) => (generator.words[i] = word | 0));
    return generator;
  }

  /** Returns the current state, a JSON-serialisable copy. */
  state(): RandomState {
    const [s0, s1, s2, s3] = this.words;
    return [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0];
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const words = this.words;
    const s0 = words[0];
    const s1 = words[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const s2 = words[2] ^ s0;
    const s3 = words[3] ^ s1;
    words[0] = s0 ^ s3;
    words[1] = s1 ^ s2;
    words[2] = s2 ^ (s1 << 9);
    words[3] = rotl(s3, 11);
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
  return (x << k) | (x >>> (32 - k));
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
