/**
 * java.util.Random: the 48-bit linear congruential generator of the Java
 * library, reproduced draw for draw. Spark's `LocalKMeans.kMeansPlusPlus`
 * draws from `new Random(0)` in every fit, whatever the KMeans seed, so the
 * last step of k-means|| gets the same fixed sequence of uniforms each time.
 * Using Java's sequence here makes that step choose as Spark's does for
 * the same candidates.
 *
 * The 48-bit state is kept as two 24-bit halves, so every product stays
 * below 2^53 and exact in a double.
 */

const HALF = 0x1000000; // 2^24
const MULTIPLIER_HIGH = 0x5de; // 0x5DEECE66D = MULTIPLIER_HIGH · 2^24 + MULTIPLIER_LOW
const MULTIPLIER_LOW = 0xece66d;
const INCREMENT = 0xb;

/** A generator with the draws of `java.util.Random`. */
export class JavaRandom {
  private high: number;
  private low: number;

  /** Creates the generator `new java.util.Random(seed)`, for a seed in [0, 2^48). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed >= HALF * HALF) throw new RangeError(`invalid seed: ${seed} (use an integer in [0, 2^48))`);
    this.high = (Math.floor(seed / HALF) ^ MULTIPLIER_HIGH) % HALF;
    this.low = (seed % HALF) ^ MULTIPLIER_LOW;
  }

  /** Advances the state and returns its top `bits` bits (Java's protected `next(bits)`, bits ≤ 31). */
  private next(bits: number): number {
    const lowProduct = this.low * MULTIPLIER_LOW + INCREMENT;
    const carry = Math.floor(lowProduct / HALF);
    const high = (this.high * MULTIPLIER_LOW + this.low * MULTIPLIER_HIGH + carry) % HALF;
    this.low = lowProduct % HALF;
    this.high = high;
    return Math.floor((this.high * HALF + this.low) / 2 ** (48 - bits));
  }

  /** Returns Java's `nextDouble()`: a uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) * 2 ** -53;
  }

  /** Returns Java's `nextInt(bound)`: a uniform integer in [0, bound), for 0 < bound < 2^31. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x7fffffff) throw new RangeError(`invalid bound: ${bound} (use an integer in [1, 2^31))`);
    if ((bound & -bound) === bound) return Math.floor((bound * this.next(31)) / 2 ** 31);
    for (;;) {
      const bits = this.next(31);
      const value = bits % bound;
      // Java rejects draws from the incomplete last block, detected there by int overflow.
      if (bits - value + (bound - 1) <= 0x7fffffff) return value;
    }
  }
}
