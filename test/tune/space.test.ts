import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { hp, spaceEval, spaceParameters } from '../../src/tune/space.js';
import { tuneFixture } from './fixtures.js';

test('hp: low ≥ high names the label', () => {
  assert.throws(() => hp.uniform('lr', 1, 1), (error: Error) => error instanceof InputError && error.message.includes('"lr"'));
});

test('hp: zero bounds are still checked', () => {
  assert.throws(() => hp.uniform('x', 0, -1), InputError);
});

test('hp: non-positive q is rejected', () => {
  assert.throws(() => hp.quniform('step', 0, 10, 0), /invalid q for "step"/);
});

test('hp: empty choice is rejected', () => {
  assert.throws(() => hp.choice('model', []), /empty choice/);
});

test('hp: non-integer randint bounds are rejected', () => {
  assert.throws(() => hp.randint('k', 3.5, 20), /must be integers/);
});

test('hp: non-positive sigma is rejected', () => {
  assert.throws(() => hp.normal('n', 0, 0), /invalid sigma for "n"/);
});

test('hp: pchoice probabilities must sum to 1', () => {
  assert.throws(() => hp.pchoice('p', [[0.5, 'a'], [0.4, 'b']]), /sum to 0.9/);
});

test('hp: randint with one bound starts at 0', () => {
  assert.deepEqual(hp.randint('k', 5).distribution, { kind: 'randint', low: 0, high: 5 });
});

test('spaceParameters: duplicate label is an error naming it', () => {
  const space = { a: hp.uniform('x', 0, 1), b: hp.uniform('x', 0, 2) };
  assert.throws(() => spaceParameters(space), /duplicate hyperparameter label: "x"/);
});

test('spaceParameters: a reused expression is one parameter', () => {
  const x = hp.uniform('x', 0, 1);
  assert.deepEqual([...spaceParameters({ a: x, b: [x] }).keys()], ['x']);
});

test('spaceParameters: finds labels inside branches', () => {
  const space = { m: hp.choice('m', [{ k: hp.randint('k', 3, 20) }, { c: hp.uniformint('c', 2, 8) }]) };
  assert.deepEqual([...spaceParameters(space).keys()], ['m', 'k', 'c']);
});

function conditionalSpace() {
  return {
    model: hp.choice('model', [
      { kind: 'kmeans', k: hp.randint('k', 3, 20) },
      { kind: 'gmm', components: hp.uniformint('components', 2, 8), tol: hp.loguniform('tol', -9, -2) },
    ]),
    scale: hp.choice('scale', [true, false]),
    weights: [hp.uniform('w0', 0, 1), hp.quniform('w1', 0, 10, 1)],
  };
}

// Strips Python type tags from the golden values.
function untyped(value: any): any {
  if (Array.isArray(value)) return value.map(untyped);
  if (value !== null && typeof value === 'object' && 'type' in value && 'value' in value) return value.value;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untyped(v)]));
  return value;
}

test('spaceEval: matches Hyperopt space_eval', () => {
  const golden = tuneFixture('hp-semantics.json').shapes.spaceEvalChoiceIndex;
  const value = spaceEval(conditionalSpace(), { model: 1, components: 5.0, tol: 0.01, scale: 0, w0: 0.5, w1: 3.0 });
  assert.deepEqual(value, untyped(golden));
});

test('spaceEval: ignores labels of unchosen branches', () => {
  const value = spaceEval(conditionalSpace(), { model: 0, k: 7, components: 5, tol: 0.1, scale: 1, w0: 0, w1: 1 });
  assert.deepEqual(value.model, { kind: 'kmeans', k: 7 });
});

test('spaceEval: uniformint truncates to an integer', () => {
  assert.equal(spaceEval(hp.uniformint('u', 1, 10), { u: 4.0 }), 4);
});

test('spaceEval: missing active label names it', () => {
  assert.throws(() => spaceEval(conditionalSpace(), { model: 0, scale: 0, w0: 0, w1: 0 }), /missing value for hyperparameter "k"/);
});

test('spaceEval: out-of-range choice index is rejected', () => {
  assert.throws(() => spaceEval(hp.choice('c', ['a', 'b']), { c: 2 }), /invalid index for "c": 2/);
});
