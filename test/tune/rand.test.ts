import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomGenerator } from '../../src/random.js';
import { samplePrior } from '../../src/tune/rand.js';
import { hp, spaceEval, type Choice, type Param } from '../../src/tune/space.js';
import { tuneFixture } from './fixtures.js';

const golden = tuneFixture('hp-semantics.json');
const DRAWS: number = golden.draws;

// Builds the expression a golden case describes, with the label "v".
function expressionFor(entry: { function: string; args: any[] }): Param | Choice {
  const args = entry.args;
  switch (entry.function) {
    case 'randint':
      return args.length === 1 ? hp.randint('v', args[0]) : hp.randint('v', args[0], args[1]);
    case 'choice':
      return hp.choice('v', args[0]);
    case 'pchoice':
      return hp.pchoice('v', args[0]);
    default:
      return (hp as any)[entry.function]('v', ...args);
  }
}

function draw(expression: Param | Choice, seed: number): number[] {
  const rng = new RandomGenerator(seed);
  return Array.from({ length: DRAWS }, () => samplePrior(expression.distribution, rng));
}

function quantile(sorted: number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (position - low);
}

for (const [name, entry] of Object.entries<any>(golden.prior)) {
  if (entry.function === 'choice' || entry.function === 'pchoice') {
    test(`rand ${name}: option frequencies match Hyperopt`, () => {
      const values = draw(expressionFor(entry), 1);
      entry.frequencies.forEach((expected: number, index: number) => {
        const observed = values.filter((value) => value === index).length / DRAWS;
        assert.ok(Math.abs(observed - expected) < 0.025, `option ${index}: ${observed} vs Hyperopt ${expected}`);
      });
    });
    continue;
  }

  test(`rand ${name}: support matches Hyperopt`, () => {
    const values = draw(expressionFor(entry), 1);
    const min = Math.min(...values);
    const max = Math.max(...values);
    assert.equal(values.every(Number.isInteger), entry.allIntegers, 'integer-valued draws');
    const bounded = ['randint', 'quniform', 'uniformint', 'qloguniform'].includes(entry.function);
    if (entry.distinct !== null && bounded) {
      assert.deepEqual([...new Set(values)].sort((a, b) => a - b), entry.distinct, 'distinct values');
    } else if (['uniform', 'loguniform'].includes(entry.function)) {
      const [low, high] = entry.function === 'uniform' ? entry.args : entry.args.map(Math.exp);
      assert.ok(min >= low, `min ${min} below ${low}`);
      assert.ok(max < high, `max ${max} not below ${high}`);
    } else if (entry.allIntegers) {
      const q = entry.args.at(-1);
      assert.ok(values.every((value) => Number.isInteger(value / q)), `draws on the lattice of q = ${q}`);
    } else {
      assert.ok(Math.abs(min - entry.min) < 4 * entry.std, `min ${min} vs Hyperopt ${entry.min}`);
      assert.ok(Math.abs(max - entry.max) < 4 * entry.std + Math.abs(entry.max) * 0.5, `max ${max} vs Hyperopt ${entry.max}`);
    }
  });

  test(`rand ${name}: mean and quantiles match Hyperopt`, () => {
    const values = draw(expressionFor(entry), 2);
    const mean = values.reduce((sum, value) => sum + value, 0) / DRAWS;
    const standardError = entry.std / Math.sqrt(DRAWS);
    assert.ok(Math.abs(mean - entry.mean) < 6 * standardError, `mean ${mean} vs Hyperopt ${entry.mean}`);
    const sorted = [...values].sort((a, b) => a - b);
    [0.1, 0.25, 0.5, 0.75, 0.9].forEach((p, i) => {
      const expected = entry.quantiles[i + 1];
      const observed = quantile(sorted, p);
      assert.ok(Math.abs(observed - expected) <= 0.1 * entry.std + (entry.allIntegers ? 1 : 0) * (entry.args.at(-1) ?? 1), `quantile ${p}: ${observed} vs ${expected}`);
    });
  });
}

test('rand randint(3, 20): never 20', () => {
  const values = draw(hp.randint('k', 3, 20), 3);
  assert.equal(Math.max(...values), 19);
  assert.equal(Math.min(...values), 3);
});

test('rand uniformint: space value is an integer as Hyperopt', () => {
  assert.deepEqual(golden.prior.uniformint.types, ['int']);
  const expression = hp.uniformint('u', 1, 10);
  const value = spaceEval(expression, { u: samplePrior(expression.distribution, new RandomGenerator(4)) });
  assert.ok(Number.isInteger(value));
});
