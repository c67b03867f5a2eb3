import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { InputError, JobError } from '../../src/errors.js';
import { noProgressLoss } from '../../src/tune/early-stop.js';
import { runStatusOf, type TrialEvent } from '../../src/tune/events.js';
import { fmin } from '../../src/tune/fmin.js';
import { rand } from '../../src/tune/rand.js';
import { hp } from '../../src/tune/space.js';
import { tpe } from '../../src/tune/tpe/sampler.js';
import { Trials, type Trial } from '../../src/tune/trials.js';
import { tuneFixture } from './fixtures.js';
import { RESUMABLE_MAX_EVALS, RESUMABLE_SEED, resumableObjective, resumableSpace } from './support/resumable-search.js';

const shapes = tuneFixture('hp-semantics.json').shapes;

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

function conditionalLoss(params: any): number {
  const model = params.model;
  const base = model.kind === 'kmeans' ? Math.abs(model.k - 7) : Math.abs(model.components - 4) + 1;
  return base + params.weights[0] + params.weights[1] / 10 + (params.scale ? 0 : 0.5);
}

// Parameters and results of trials, without timings.
function outcomes(trials: Trials): unknown[] {
  return trials.trials.map(({ tid, params, status, loss, reason, seed }) => ({ tid, params, status, loss, reason, seed }));
}

const quiet = { onEvent: () => {} };

test('fmin: argmin has Hyperopt shape', async () => {
  const { argmin } = await fmin({ fn: conditionalLoss, space: conditionalSpace(), algo: rand.suggest, maxEvals: 30, seed: 42 });
  const golden = shapes.argmin;
  const expectedKeys = Object.keys(golden).sort();
  // The best trial's branch decides which of k or components/tol appear.
  const keys = Object.keys(argmin).sort();
  assert.ok(keys.join() === expectedKeys.join() || keys.join() === 'components,model,scale,tol,w0,w1', `argmin keys ${keys}`);
  assert.ok(Number.isInteger(argmin.model), 'model stored as an index');
  assert.ok(Number.isInteger(argmin.scale), 'scale stored as an index');
});

test('fmin: best is spaceEval of argmin', async () => {
  const { argmin, best } = await fmin({ fn: conditionalLoss, space: conditionalSpace(), algo: rand.suggest, maxEvals: 30, seed: 42 });
  assert.equal(typeof best.scale, 'boolean');
  assert.equal(best.model.kind, argmin.model === 0 ? 'kmeans' : 'gmm');
  assert.deepEqual(best.weights, [argmin.w0, argmin.w1]);
});

test('fmin: unchosen branch labels are absent', async () => {
  const { trials } = await fmin({ fn: conditionalLoss, space: conditionalSpace(), algo: rand.suggest, maxEvals: 30, seed: 1 });
  const labelSets = new Set(trials.trials.map((trial) => Object.keys(trial.params).sort().join()));
  const goldenSets = new Set((shapes.presentLabelsPerTrial as string[][]).map((labels) => labels.join()));
  assert.deepEqual([...labelSets].sort(), [...goldenSets].sort());
});

test('fmin: same seed gives identical trials', async () => {
  const run = () => fmin({ fn: conditionalLoss, space: conditionalSpace(), maxEvals: 30, seed: 7, ...quiet });
  assert.deepEqual(outcomes((await run()).trials), outcomes((await run()).trials));
});

test('fmin: different seeds differ', async () => {
  const a = await fmin({ fn: conditionalLoss, space: conditionalSpace(), maxEvals: 5, seed: 1, ...quiet });
  const b = await fmin({ fn: conditionalLoss, space: conditionalSpace(), maxEvals: 5, seed: 2, ...quiet });
  assert.notDeepEqual(outcomes(a.trials), outcomes(b.trials));
});

test('fmin: TPE is random search for nStartupJobs trials only', async () => {
  const space = { x: hp.uniform('x', -5, 10) };
  const { trials } = await fmin({ fn: ({ x }) => (x - 2) ** 2, space, maxEvals: 25, seed: 3, ...quiet });
  const sameAsRandom = trials.trials.map((trial, tid) => {
    const randomProposal = rand.suggest({ space, trials: trials.trials.slice(0, tid), seed: trial.seed as number });
    return randomProposal.x === trial.params.x;
  });
  assert.deepEqual(sameAsRandom, [...new Array(20).fill(true), ...new Array(5).fill(false)]);
});

test('fmin: NaN loss fails the trial (departure)', async () => {
  assert.deepEqual(shapes.nanLossStatus.statuses, ['ok', 'ok', 'ok'], 'Hyperopt stores NaN as ok');
  const losses = [NaN, -Infinity, 1];
  const { trials, bestTrial } = await fmin({ fn: () => losses.shift() as number, space: hp.uniform('x', 0, 1), algo: rand.suggest, maxEvals: 3, seed: 0 });
  assert.deepEqual(trials.statuses(), ['fail', 'fail', 'ok']);
  assert.equal(bestTrial.tid, 2, 'Hyperopt picks the -inf trial; grooviest the finite one');
  assert.match(trials.trials[0].reason as string, /loss is NaN/);
});

test('fmin: status fail keeps its reason', async () => {
  let call = 0;
  const { trials } = await fmin({
    fn: () => (call++ === 0 ? { status: 'fail' as const, reason: 'fold 2 has one cluster' } : { status: 'ok' as const, loss: 1 }),
    space: hp.uniform('x', 0, 1),
    maxEvals: 2,
    seed: 0,
    ...quiet,
  });
  assert.equal(trials.trials[0].reason, 'fold 2 has one cluster');
  assert.equal(trials.trials[0].status, 'fail');
});

test('fmin: objective exception stops with the original error', async () => {
  const boom = new RangeError('objective exploded');
  const trials = new Trials();
  await assert.rejects(fmin({ fn: () => { throw boom; }, space: hp.uniform('x', 0, 1), maxEvals: 5, trials, seed: 0, ...quiet }), (error) => error === boom);
  assert.equal(trials.length, 1);
  assert.equal(trials.trials[0].state, 'error');
  assert.equal(trials.trials[0].reason, 'RangeError: objective exploded');
});

test('fmin: catchEvalExceptions goes on', async () => {
  let call = 0;
  const { trials } = await fmin({
    fn: () => {
      if (call++ < 2) throw new Error('flaky');
      return 0.5;
    },
    space: hp.uniform('x', 0, 1),
    maxEvals: 4,
    seed: 0,
    catchEvalExceptions: true,
    ...quiet,
  });
  assert.deepEqual(trials.statuses(), ['fail', 'fail', 'ok', 'ok']);
});

test('fmin: all trials failed is a clear error', async () => {
  assert.equal(shapes.allFailedError, 'AllTrialsFailed');
  await assert.rejects(
    fmin({ fn: () => ({ status: 'fail' as const, reason: 'no data' }), space: hp.uniform('x', 0, 1), maxEvals: 3, seed: 0, ...quiet }),
    (error: Error) => error instanceof JobError && error.message === 'all 3 trials failed; the first failure: no data',
  );
});

test('fmin: warns when TPE never leaves start-up', async () => {
  const events: GrooviestEvent[] = [];
  await fmin({ fn: () => 1, space: hp.randint('k', 3, 20), maxEvals: 10, seed: 42, onEvent: (event) => events.push(event) });
  const warning = events.find((event) => event.type === 'warning');
  assert.equal(warning?.type === 'warning' && warning.code, 'tpe-startup-only');
});

test('fmin: no warning with lowered nStartupJobs', async () => {
  const events: GrooviestEvent[] = [];
  await fmin({ fn: () => 1, space: hp.randint('k', 3, 20), algo: tpe.withOptions({ nStartupJobs: 5 }), maxEvals: 10, seed: 42, onEvent: (event) => events.push(event) });
  assert.equal(events.filter((event) => event.type === 'warning').length, 0);
});

test('fmin: maxEvals counts existing trials', async () => {
  const trials = new Trials();
  await fmin({ fn: ({ x }) => x, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 5, trials, seed: 0, ...quiet });
  await fmin({ fn: ({ x }) => x, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 8, trials, seed: 0, ...quiet });
  assert.equal(trials.length, 8);
});

test('fmin: resumed in-process equals one call', async () => {
  const space = resumableSpace();
  const whole = await fmin({ fn: resumableObjective, space, maxEvals: 30, seed: 11, ...quiet });
  const trials = new Trials();
  await fmin({ fn: resumableObjective, space, maxEvals: 12, trials, seed: 11, ...quiet });
  const restored = Trials.fromJSON(JSON.parse(JSON.stringify(trials)));
  await fmin({ fn: resumableObjective, space, maxEvals: 30, trials: restored, ...quiet });
  assert.deepEqual(outcomes(restored), outcomes(whole.trials));
});

test('fmin: killed and resumed from disk equals one call', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'grooviest-tune-'));
  const file = join(directory, 'trials.json');
  const script = fileURLToPath(new URL('./support/search-to-kill.js', import.meta.url));

  await assert.rejects(promisify(execFile)(process.execPath, [script, file, '24']), (error: any) => error.signal === 'SIGKILL');
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(saved.trials.length, 25, 'trials 0..24 saved, trial 24 running');
  assert.equal(saved.trials[24].state, 'running');

  const resumed = await fmin({ fn: resumableObjective, space: resumableSpace(), maxEvals: RESUMABLE_MAX_EVALS, trialsSaveFile: file, ...quiet });
  const whole = await fmin({ fn: resumableObjective, space: resumableSpace(), maxEvals: RESUMABLE_MAX_EVALS, seed: RESUMABLE_SEED, ...quiet });
  assert.deepEqual(outcomes(resumed.trials), outcomes(whole.trials));
});

test('Trials: JSON round trip keeps trials and generator', async () => {
  const { trials } = await fmin({ fn: ({ x }) => x, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 3, seed: 0, ...quiet });
  const restored = Trials.fromJSON(JSON.parse(JSON.stringify(trials)));
  assert.deepEqual(restored.toJSON(), trials.toJSON());
});

test('Trials: another format is rejected', () => {
  assert.throws(() => Trials.fromJSON({ trials: [] }), InputError);
});

test('fmin: invalid trials file names the fix', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'grooviest-tune-')), 'trials.json');
  writeFileSync(file, '{not json');
  await assert.rejects(fmin({ fn: () => 1, space: hp.uniform('x', 0, 1), maxEvals: 1, trialsSaveFile: file }), /invalid trials file .*delete it/);
});

test('fmin: parallelism runs trials concurrently', async () => {
  let running = 0;
  let maxRunning = 0;
  const { trials } = await fmin({
    fn: async ({ x }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return x;
    },
    space: { x: hp.uniform('x', 0, 1) },
    maxEvals: 12,
    parallelism: 4,
    seed: 0,
    ...quiet,
  });
  assert.equal(maxRunning, 4);
  assert.equal(trials.length, 12);
});

test('fmin: running trials count for the next suggestion', async () => {
  const seen: number[] = [];
  const algo = Object.assign((request: { trials: readonly Trial[]; space: unknown; seed: number }) => {
    seen.push(request.trials.filter((trial) => trial.state === 'running').length);
    return rand.suggest(request);
  }, { algorithmName: 'spy', nStartupJobs: 0 });
  await fmin({ fn: async () => { await new Promise((resolve) => setTimeout(resolve, 2)); return 1; }, space: hp.uniform('x', 0, 1), algo, maxEvals: 6, parallelism: 3, seed: 0 });
  assert.deepEqual(seen.slice(0, 3), [0, 1, 2]);
});

test('fmin: pointsToEvaluate come first', async () => {
  const { trials } = await fmin({ fn: ({ x }) => x, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 4, pointsToEvaluate: [{ x: 0.25 }, { x: 0.75 }], seed: 0, ...quiet });
  assert.deepEqual(trials.trials.slice(0, 2).map((trial) => trial.params.x), [0.25, 0.75]);
  assert.equal(trials.length, 4);
});

test('fmin: pointsToEvaluate missing a label names it', async () => {
  await assert.rejects(fmin({ fn: () => 1, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 2, pointsToEvaluate: [{ y: 1 }] }), /missing or non-numeric value for "x"/);
});

test('fmin: lossThreshold stops the search', async () => {
  const { trials } = await fmin({ fn: () => -1, space: hp.uniform('x', 0, 1), maxEvals: 10, lossThreshold: 0, seed: 0, ...quiet });
  assert.equal(trials.length, 1);
});

test('fmin: timeout stops starting trials', async () => {
  const { trials } = await fmin({
    fn: async () => { await new Promise((resolve) => setTimeout(resolve, 30)); return 1; },
    space: hp.uniform('x', 0, 1),
    maxEvals: Infinity,
    timeout: 0.05,
    seed: 0,
    ...quiet,
  });
  assert.ok(trials.length >= 1, `${trials.length} trials`);
  assert.ok(trials.length <= 3, `${trials.length} trials`);
});

test('fmin: noProgressLoss stops early', async () => {
  const { trials } = await fmin({ fn: () => 1, space: hp.uniform('x', 0, 1), maxEvals: 100, earlyStopFn: noProgressLoss(5), seed: 0, ...quiet });
  // As Hyperopt, the first evaluation already counts as one without progress.
  assert.equal(trials.length, 5);
});

test('fmin: trial events bracket each trial', async () => {
  const events: TrialEvent[] = [];
  await fmin({ fn: ({ x }) => x, space: { x: hp.uniform('x', 0, 1) }, maxEvals: 2, seed: 0, onTrial: (event) => events.push(event), ...quiet });
  assert.deepEqual(events.map((event) => `${event.type}:${event.trial.tid}`), ['trialStart:0', 'trialEnd:0', 'trialStart:1', 'trialEnd:1']);
  assert.equal(runStatusOf(events[1].trial), 'FINISHED');
  assert.equal(runStatusOf(events[0].trial), 'KILLED');
});

test('fmin: invalid parallelism is rejected', async () => {
  await assert.rejects(fmin({ fn: () => 1, space: hp.uniform('x', 0, 1), maxEvals: 2, parallelism: 0 }), /invalid parallelism: 0/);
});

test('fmin: endless search is rejected', async () => {
  await assert.rejects(fmin({ fn: () => 1, space: hp.uniform('x', 0, 1), maxEvals: Infinity }), /never stop/);
});
