import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adaptiveParzenNormal, buildParzenEstimator, linearForgettingWeights } from '../../../src/tune/tpe/parzen-estimator.js';
import { GaussianMixture } from '../../../src/tune/tpe/distributions.js';
import { tuneFixture } from '../fixtures.js';

const estimator = tuneFixture('hp-semantics.json').estimator;

function assertClose(actual: readonly number[], expected: readonly number[], what: string, tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((value, i) => {
    assert.ok(Math.abs(value - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${value} vs Hyperopt ${expected[i]}`);
  });
}

for (const [i, golden] of (estimator.parzen as any[]).entries()) {
  test(`adaptiveParzenNormal: Hyperopt case ${i} (${golden.mus.length} observations)`, () => {
    const components = adaptiveParzenNormal(golden.mus, 1, golden.priorMu, golden.priorSigma, 25);
    assertClose(components.weights, golden.weights, 'weights');
    assertClose(components.mus, golden.centres, 'mus');
    assertClose(components.sigmas, golden.sigmas, 'sigmas');
  });
}

for (const [n, expected] of Object.entries<number[]>(estimator.linearForgetting)) {
  test(`linearForgettingWeights: n = ${n} matches Hyperopt`, () => {
    assertClose(linearForgettingWeights(Number(n), 25), expected, 'weights');
  });
}

for (const golden of estimator.densities as any[]) {
  test(`GaussianMixture logPdf: ${golden.name} matches Hyperopt`, () => {
    const { weights, mus, sigmas } = estimator.mixture;
    const logScale = golden.name.startsWith('LGMM1');
    const mixture = new GaussianMixture(weights, mus, sigmas, { ...golden.options, logScale });
    assertClose(golden.samples.map((x: number) => mixture.logPdf(x)), golden.logPdf, 'logPdf', 1e-10);
  });
}

test('buildParzenEstimator: randint counts plus prior weight', () => {
  const distribution = buildParzenEstimator({ kind: 'randint', low: 3, high: 6 }, [3, 3, 5], { priorWeight: 1, linearForgetting: 25 });
  assert.ok(Math.abs(distribution.logPdf(3) - Math.log(3 / 6)) < 1e-12);
  assert.ok(Math.abs(distribution.logPdf(4) - Math.log(1 / 6)) < 1e-12);
  assert.equal(distribution.logPdf(6), -Infinity);
});

test('buildParzenEstimator: pchoice pseudocounts follow the prior', () => {
  const distribution = buildParzenEstimator({ kind: 'categorical', p: [0.2, 0.8] }, [0], { priorWeight: 1, linearForgetting: 25 });
  // counts [1, 0] + 2 · 1 · [0.2, 0.8] = [1.4, 1.6], normalised by 3.
  assert.ok(Math.abs(distribution.logPdf(0) - Math.log(1.4 / 3)) < 1e-12);
});

test('GaussianMixture: truncated samples stay in [low, high)', async () => {
  const { RandomGenerator } = await import('../../../src/random.js');
  const rng = new RandomGenerator(1);
  const mixture = new GaussianMixture([0.5, 0.5], [0, 1], [1, 3], { low: 0, high: 1 });
  for (let i = 0; i < 1000; i++) {
    const value = mixture.sample(rng);
    assert.ok(value >= 0, `sample ${value}`);
    assert.ok(value < 1, `sample ${value}`);
  }
});
