/**
 * Random search, Hyperopt's `rand.suggest`: every trial is drawn from the
 * prior of the space, with a generator seeded from the suggestion's seed.
 */
import { RandomGenerator } from '../random.js';
import { defineAlgorithm } from './algorithm.js';
import type { Distribution } from './space.js';
import { walkSpace } from './space.js';
import { quantize, sampleIndex } from './tpe/distributions.js';

/** Draws one stored value from a prior, as Hyperopt's `pyll.stochastic` functions. */
export function samplePrior(distribution: Distribution, rng: RandomGenerator): number {
  switch (distribution.kind) {
    case 'randint':
      return distribution.low + rng.nextInt(distribution.high - distribution.low);
    case 'uniform':
      return uniformDraw(rng, distribution.low, distribution.high);
    case 'quniform':
      return quantize(uniformDraw(rng, distribution.low, distribution.high), distribution.q);
    case 'loguniform':
      return Math.exp(uniformDraw(rng, distribution.low, distribution.high));
    case 'qloguniform':
      return quantize(Math.exp(uniformDraw(rng, distribution.low, distribution.high)), distribution.q);
    case 'normal':
      return distribution.mu + distribution.sigma * rng.nextNormal();
    case 'qnormal':
      return quantize(distribution.mu + distribution.sigma * rng.nextNormal(), distribution.q);
    case 'lognormal':
      return Math.exp(distribution.mu + distribution.sigma * rng.nextNormal());
    case 'qlognormal':
      return quantize(Math.exp(distribution.mu + distribution.sigma * rng.nextNormal()), distribution.q);
    case 'categorical':
      return sampleIndex(rng, distribution.p);
  }
}

function uniformDraw(rng: RandomGenerator, low: number, high: number): number {
  return low + (high - low) * rng.nextFloat();
}

/** Random search: `rand.suggest` draws each active hyperparameter from its prior. */
export const rand = {
  suggest: defineAlgorithm('rand', 0, ({ space, seed }) => {
    const rng = new RandomGenerator(seed);
    return walkSpace(space, (node) => samplePrior(node.distribution, rng)).assignment;
  }),
};
