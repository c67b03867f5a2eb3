import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rand } from '../../../src/tune/rand.js';
import { hp } from '../../../src/tune/space.js';
import { goodGroupSize, splitTrials, suggestTpe, tpe, HYPEROPT_TPE_DEFAULTS } from '../../../src/tune/tpe/sampler.js';
import type { Trial } from '../../../src/tune/trials.js';
import { tuneFixture } from '../fixtures.js';

const proposals = tuneFixture('tpe-proposals.json');

function tpeSpace() {
  return {
    x: hp.uniform('x', -5, 10),
    lr: hp.loguniform('lr', -7, 0),
    q: hp.quniform('q', 0, 20, 2),
    k: hp.randint('k', 3, 20),
    n: hp.normal('n', 0, 2),
    c: hp.choice('c', ['a', 'b', 'c']),
    u: hp.uniformint('u', 1, 10),
    ql: hp.qloguniform('ql', 0, 5, 1),
    ln: hp.lognormal('ln', 0, 1),
  };
}

function historyTrials(): Trial[] {
  return proposals.history.map((entry: any, tid: number) => ({ tid, state: 'done', status: 'ok', params: entry.params, loss: entry.loss }));
}

// Two-sample Kolmogorov–Smirnov statistic.
function ksStatistic(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= value) i++;
    while (j < y.length && y[j] <= value) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

test('tpe proposals: distribution matches Hyperopt for a fixed history', () => {
  const trials = historyTrials();
  const space = tpeSpace();
  const ours: Record<string, number[]> = {};
  for (let seed = 0; seed < proposals.seeds; seed++) {
    const assignment = suggestTpe({ space, trials, seed }, { ...HYPEROPT_TPE_DEFAULTS });
    for (const [label, value] of Object.entries(assignment)) (ours[label] ??= []).push(value);
  }
  // KS critical value at α = 0.001 for two samples of 1,000: 1.95 · √(2/1000) ≈ 0.087.
  for (const [label, theirs] of Object.entries<number[]>(proposals.proposals)) {
    const d = ksStatistic(ours[label], theirs);
    assert.ok(d < 0.087, `${label}: KS distance ${d.toFixed(3)} to Hyperopt's proposals`);
  }
});

function conditionalTpeSpace() {
  return {
    family: hp.pchoice('family', [
      [0.3, { kind: 'a', x: hp.uniform('xa', -5, 10), k: hp.randint('ka', 0, 6) }],
      [0.7, { kind: 'b', lr: hp.loguniform('lrb', -5, 0), q: hp.qnormal('qb', 0, 3, 1), m: hp.qlognormal('mb', 1, 1, 1) }],
    ]),
    shared: hp.uniform('shared', 0, 1),
  };
}

const conditionalProposals = tuneFixture('tpe-proposals-conditional.json');

for (const kind of ['a', 'b']) {
  test(`tpe proposals: conditional branch ${kind} with failures matches Hyperopt`, () => {
    const golden = conditionalProposals[kind];
    const trials: Trial[] = golden.history.map((entry: any, tid: number) =>
      entry.status === 'ok'
        ? { tid, state: 'done', status: 'ok', params: entry.params, loss: entry.loss }
        : { tid, state: 'done', status: 'fail', params: entry.params, reason: 'shared > 0.85' },
    );
    const space = conditionalTpeSpace();
    const ours: Record<string, number[]> = {};
    for (let seed = 0; seed < golden.seeds; seed++) {
      for (const [label, value] of Object.entries(suggestTpe({ space, trials, seed }, { ...HYPEROPT_TPE_DEFAULTS }))) (ours[label] ??= []).push(value);
    }
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(golden.proposals).sort(), 'proposed labels');
    for (const [label, theirs] of Object.entries<number[]>(golden.proposals)) {
      const d = ksStatistic(ours[label], theirs);
      assert.ok(d < 0.087, `${label}: KS distance ${d.toFixed(3)} to Hyperopt's proposals`);
    }
  });
}

test('tpe: random start-up below nStartupJobs', () => {
  const trials = historyTrials().slice(0, 19);
  const request = { space: tpeSpace(), trials, seed: 5 };
  assert.deepEqual(tpe.suggest(request), rand.suggest(request));
});

test('tpe: same seed gives the same proposal', () => {
  const request = { space: tpeSpace(), trials: historyTrials(), seed: 9 };
  assert.deepEqual(tpe.suggest(request), tpe.suggest(request));
});

test('goodGroupSize: Hyperopt and Optuna rules', () => {
  assert.equal(goodGroupSize(30, HYPEROPT_TPE_DEFAULTS), 2);
  assert.equal(goodGroupSize(100000, HYPEROPT_TPE_DEFAULTS), 25);
  assert.equal(goodGroupSize(30, tpe.OPTUNA_DEFAULTS), 3);
});

test('splitTrials: failed and running trials count as +∞', () => {
  const trials: Trial[] = [
    { tid: 0, state: 'error', status: 'fail', params: {} },
    { tid: 1, state: 'running', status: 'running', params: {} },
    { tid: 2, state: 'done', status: 'ok', params: {}, loss: 5 },
    { tid: 3, state: 'done', status: 'ok', params: {}, loss: 1 },
  ];
  assert.deepEqual(splitTrials(trials, HYPEROPT_TPE_DEFAULTS), [false, false, false, true]);
});

test('tpe: conditional branches propose only active labels', () => {
  const space = { m: hp.choice('m', [{ k: hp.randint('k', 3, 20) }, { c: hp.uniform('c', 0, 1) }]) };
  const trials: Trial[] = Array.from({ length: 25 }, (_, tid) => {
    const branch = tid % 2;
    const params: Record<string, number> = branch === 0 ? { m: 0, k: 3 + (tid % 17) } : { m: 1, c: tid / 25 };
    return { tid, state: 'done', status: 'ok', params, loss: branch === 0 ? 1 : 0 };
  });
  for (let seed = 0; seed < 20; seed++) {
    const labels = Object.keys(tpe.suggest({ space, trials, seed })).sort();
    assert.ok(labels.join() === 'c,m' || labels.join() === 'k,m', `labels ${labels}`);
  }
});

test('tpe.withOptions: rejects an invalid option', () => {
  assert.throws(() => tpe.withOptions({ gamma: 0 }), /invalid TPE option gamma: 0/);
});
