/**
 * `fmin`: minimise an objective over a search space, with the semantics of
 * Hyperopt 0.2.7's `fmin` (`fmin.py`). Each suggestion gets its own seed
 * drawn from the search's generator. `maxEvals` counts the trials already in
 * `trials`, so passing the trials of an earlier call continues it. `timeout`
 * and `lossThreshold` stop the loop before the next suggestion,
 * `earlyStopFn` runs after each evaluation, and `pointsToEvaluate` are
 * evaluated first.
 *
 * Deliberate departures from Hyperopt 0.2.7:
 * - Returns `{argmin, best, bestTrial, trials}`: `argmin` is Hyperopt's
 *   return value (option indices for choices) and `best` is
 *   `spaceEval(space, argmin)`, the values themselves.
 * - A NaN, infinite or missing loss with status `ok` makes the trial failed
 *   with a reason. Hyperopt stores NaN and ±∞ as `ok` (and `best_trial`
 *   skips only NaN), so there −∞ can become the best trial.
 * - Failed trials count as loss +∞ for TPE even when they carry a loss;
 *   Hyperopt's TPE reads the loss of a `fail` result when one is present.
 * - An objective that throws leaves a failed trial (state `error`) with the
 *   exception as reason. It is saved and counts towards `maxEvals` and
 *   `nStartupJobs` (as loss +∞ for TPE). Hyperopt drops errored trials from
 *   `trials.trials`.
 * - `uniformint` takes no `q`: Hyperopt 0.2.7 accepts one and ignores it.
 * - `Trials` store the state of the search's generator, so a search saved to
 *   JSON (`trialsSaveFile`) and resumed continues exactly as one
 *   uninterrupted call; Hyperopt re-seeds from a fresh `rstate` on resume.
 *   A trial that was running when the process died is evaluated again with
 *   the same parameters.
 * - Up to `parallelism` trials run at once (as SparkTrials); running trials
 *   count as loss +∞ for suggestions. With parallelism above 1 the trials
 *   depend on the order in which evaluations finish.
 * - Invalid bounds throw at space construction even where Hyperopt's check
 *   lets them through (it skips bounds equal to 0).
 * - Without `seed` the generator is seeded from the operating system, as
 *   Hyperopt uses NumPy's global state.
 * - `pointsToEvaluate` are added only to empty trials (Hyperopt accepts them
 *   only without `trials`); on resume they are already in the trials.
 */
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ignoreEvents, type OnEvent } from '../contracts/events.js';
import type { ObjectiveResult } from '../contracts/objective.js';
import { InputError } from '../errors.js';
import { temporaryPathFor } from '../files/atomic-write.js';
import { RandomGenerator } from '../random.js';
import type { Algorithm } from './algorithm.js';
import type { OnTrial } from './events.js';
import { spaceEval, spaceParameters, walkSpace, type Assignment, type SpaceValue } from './space.js';
import { tpe } from './tpe/sampler.js';
import { Trials, type Trial } from './trials.js';

/** Return value of an objective: a loss (status ok) or Hyperopt's result document. */
export type ObjectiveReturn = number | ObjectiveResult;

/**
 * Decides after each evaluation whether to stop, as Hyperopt's
 * `early_stop_fn(trials, *args) -> (stop, args)`: it gets the state it
 * returned last time (undefined the first time).
 */
export type EarlyStopFn = (trials: Trials, state: unknown) => [stop: boolean, state: unknown];

/** Options of {@link fmin}. */
export interface FminOptions<S> {
  /** The objective: gets the value of the space for one trial; may be async. */
  fn: (params: SpaceValue<S>) => ObjectiveReturn | Promise<ObjectiveReturn>;
  /** The search space (see `hp`). */
  space: S;
  /** Search algorithm. Default `tpe.suggest` with Hyperopt's defaults. */
  algo?: Algorithm;
  /** Total trials, counting those already in `trials`. Required; may be Infinity with `timeout`. */
  maxEvals: number;
  /** Trials to record into (and to continue from). Default: new empty trials, or those in `trialsSaveFile`. */
  trials?: Trials;
  /** Seed of the search's generator (Hyperopt's `rstate`). Default: from the operating system. Ignored when `trials` carry a generator state. */
  seed?: number;
  /** Seconds after which no new trial starts; running trials finish. Default: none. */
  timeout?: number;
  /** Stop once the best loss is below this. Default: none. */
  lossThreshold?: number;
  /** Called after each evaluation; returning true stops the search. Default: none. */
  earlyStopFn?: EarlyStopFn;
  /** Assignments (labels to stored values, option indices for choices) evaluated first. Default: none. */
  pointsToEvaluate?: Assignment[];
  /** Trials evaluated at once. Default 1. */
  parallelism?: number;
  /** Record an exception from `fn` as a failed trial and go on. Default false: stop and rethrow it. */
  catchEvalExceptions?: boolean;
  /** JSON file the trials are written to (atomically) at each trial start and end; loaded when it exists and `trials` is not given. */
  trialsSaveFile?: string;
  /** Progress (`trials`) and warnings (`tpe-startup-only`). */
  onEvent?: OnEvent;
  /** Trial start and end, for tracking. */
  onTrial?: OnTrial;
}

/** Result of {@link fmin}. */
export interface FminResult<S> {
  /** Stored values of the best trial, Hyperopt's return value: option indices for choices. */
  argmin: Assignment;
  /** The value of the space at the best trial: `spaceEval(space, argmin)`. */
  best: SpaceValue<S>;
  /** The best trial document. */
  bestTrial: Trial;
  /** Every trial of the search. */
  trials: Trials;
}

/**
 * Minimises `fn` over `space`. Throws the objective's own error when it
 * throws (unless `catchEvalExceptions`), a `JobError` when no trial
 * succeeded, and an `InputError` for invalid options.
 */
export async function fmin<S>(options: FminOptions<S>): Promise<FminResult<S>> {
  const { fn, space, maxEvals } = options;
  const algo = options.algo ?? tpe.suggest;
  const parallelism = options.parallelism ?? 1;
  const onEvent = options.onEvent ?? ignoreEvents;
  const onTrial = options.onTrial ?? (() => {});
  checkOptions(options, parallelism);
  spaceParameters(space);

  // Trials and the generator: continue a saved search where it stopped.
  const trials = options.trials ?? loadTrials(options.trialsSaveFile) ?? new Trials();
  const rng = trials.rngState !== null ? RandomGenerator.fromState(trials.rngState) : new RandomGenerator(options.seed ?? randomInt(2 ** 47));
  if (trials.length === 0) for (const point of options.pointsToEvaluate ?? []) insertPoint(trials, space, point);
  const queue = trials.trials.filter((trial) => trial.state === 'new' || trial.state === 'running');

  if (algo.algorithmName === 'tpe' && maxEvals <= algo.nStartupJobs) {
    onEvent({
      type: 'warning',
      code: 'tpe-startup-only',
      message: `TPE samples its first ${algo.nStartupJobs} trials at random, so these ${maxEvals} evaluations are a random search (to start modelling earlier, lower nStartupJobs: --n-startup-jobs in grooviest run)`,
      details: { maxEvals, nStartupJobs: algo.nStartupJobs },
    });
  }

  // Saves are synchronous, so the file on disk always matches the last event,
  // even when the process is killed right after it.
  const save = (): void => {
    if (options.trialsSaveFile !== undefined) writeFileAtomicSync(options.trialsSaveFile, JSON.stringify(trials.toJSON()));
  };

  const startTime = performance.now();
  let stopRequested = false;
  let earlyStopState: unknown;
  let fatalError: { error: unknown } | undefined;
  const inFlight = new Map<number, Promise<void>>();

  const shouldStart = (): boolean => {
    if (stopRequested || fatalError !== undefined) return false;
    if (options.timeout !== undefined && (performance.now() - startTime) / 1000 >= options.timeout) return false;
    if (options.lossThreshold !== undefined) {
      const best = trials.bestTrial;
      if (best !== undefined && (best.loss as number) < options.lossThreshold) return false;
    }
    return queue.length > 0 || trials.length < maxEvals;
  };

  const finish = (trial: Trial, outcome: Outcome): void => {
    recordOutcome(trial, outcome);
    if (outcome.kind === 'error' && !options.catchEvalExceptions && fatalError === undefined) fatalError = { error: outcome.error };
    onTrial({ type: 'trialEnd', trial: structuredClone(trial) });
    const done = trials.trials.filter((t) => t.state === 'done' || t.state === 'error').length;
    onEvent({ type: 'progress', task: 'trials', done, total: Number.isFinite(maxEvals) ? maxEvals : undefined, unit: 'trials' });
    save();

    if (options.earlyStopFn !== undefined) {
      const [stop, state] = options.earlyStopFn(trials, earlyStopState);
      earlyStopState = state;
      if (stop) stopRequested = true;
    }
  };

  const start = (trial: Trial): void => {
    trial.state = 'running';
    trial.status = 'running';
    trial.startTime = new Date().toISOString();
    onTrial({ type: 'trialStart', trial: structuredClone(trial) });
    save();

    const began = performance.now();
    const evaluation = evaluate(fn, space, trial.params).then((outcome) => {
      trial.durationMs = performance.now() - began;
      finish(trial, outcome);
      inFlight.delete(trial.tid);
    });
    inFlight.set(trial.tid, evaluation);
  };

  // The loop: fill the free slots, then wait for one evaluation to end.
  for (;;) {
    while (inFlight.size < parallelism && shouldStart()) {
      let trial = queue.shift();
      if (trial === undefined) {
        const seed = rng.nextInt(2 ** 31 - 1);
        const params = algo({ space, trials: trials.trials, seed });
        trials.rngState = rng.state();
        trial = { tid: trials.nextTid(), state: 'new', params, status: 'new', seed };
        trials.insert(trial);
      }
      start(trial);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }

  if (fatalError !== undefined) throw fatalError.error;
  const argmin = trials.argmin;
  return { argmin, best: spaceEval(space, argmin), bestTrial: trials.bestTrial as Trial, trials };
}

/** The end of one evaluation: a normalised result, or the exception the objective threw. */
type Outcome = { kind: 'result'; result: ObjectiveResult } | { kind: 'error'; error: unknown };

async function evaluate<S>(fn: FminOptions<S>['fn'], space: S, params: Assignment): Promise<Outcome> {
  try {
    const raw = await fn(spaceEval(space, params));
    return { kind: 'result', result: normaliseResult(raw) };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/**
 * Converts an objective's return value into a result. A number is an `ok`
 * loss. An `ok` result without a finite loss becomes a failed result with a
 * reason. Any other value is a programming error and throws a TypeError.
 */
export function normaliseResult(raw: unknown): ObjectiveResult {
  if (typeof raw === 'number') raw = { loss: raw, status: 'ok' };
  if (raw === null || typeof raw !== 'object') {
    throw new TypeError(`invalid objective result: ${String(raw)} (return a number or {loss, status})`);
  }
  const result = raw as Partial<ObjectiveResult>;
  if (result.status !== 'ok' && result.status !== 'fail') {
    throw new TypeError(`invalid objective status: ${JSON.stringify(result.status)} (use 'ok' or 'fail')`);
  }

  const metrics = result.metrics === undefined ? {} : { metrics: result.metrics };
  if (result.status === 'fail') {
    return { status: 'fail', reason: result.reason ?? 'the objective returned status fail', ...metrics };
  }
  const loss = result.loss;
  if (typeof loss !== 'number' || !Number.isFinite(loss)) {
    const description = loss === undefined ? 'missing' : String(loss);
    return { status: 'fail', reason: `loss is ${description} (an ok result needs a finite loss)`, ...metrics };
  }
  return { loss, status: 'ok', ...metrics };
}

function recordOutcome(trial: Trial, outcome: Outcome): void {
  trial.endTime = new Date().toISOString();
  if (outcome.kind === 'error') {
    const error = outcome.error;
    trial.state = 'error';
    trial.status = 'fail';
    trial.reason = error instanceof Error ? `${error.name}: ${error.message}` : `exception: ${String(error)}`;
    return;
  }
  const { result } = outcome;
  trial.state = 'done';
  trial.status = result.status;
  if (result.loss !== undefined) trial.loss = result.loss;
  if (result.reason !== undefined) trial.reason = result.reason;
  if (result.metrics !== undefined) trial.metrics = result.metrics;
}

function insertPoint(trials: Trials, space: unknown, point: Assignment): void {
  // Keep only the labels the point's branches use, and require all of them.
  const { assignment } = walkSpace(space, (node) => {
    const value = point[node.label];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InputError(`invalid point to evaluate: missing or non-numeric value for "${node.label}" (give every active label a number)`);
    }
    return value;
  });
  trials.insert({ tid: trials.nextTid(), state: 'new', params: assignment, status: 'new' });
}

function loadTrials(path: string | undefined): Trials | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`invalid trials file ${path}: ${(error as Error).message} (delete it to start a new search)`);
  }
  return Trials.fromJSON(json);
}

function writeFileAtomicSync(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function checkOptions<S>(options: FminOptions<S>, parallelism: number): void {
  const { maxEvals, timeout, lossThreshold, seed } = options;
  if (typeof options.fn !== 'function') throw new InputError('invalid fn: not a function (pass the objective to minimise)');
  if (!(maxEvals === Infinity || (Number.isSafeInteger(maxEvals) && maxEvals >= 0))) {
    throw new InputError(`invalid maxEvals: ${maxEvals} (use a non-negative integer or Infinity)`);
  }
  if (maxEvals === Infinity && timeout === undefined && lossThreshold === undefined && options.earlyStopFn === undefined) {
    throw new InputError('invalid maxEvals: Infinity without timeout, lossThreshold or earlyStopFn (the search would never stop)');
  }
  if (!Number.isSafeInteger(parallelism) || parallelism < 1) throw new InputError(`invalid parallelism: ${parallelism} (use a positive integer)`);
  if (timeout !== undefined && !(timeout > 0)) throw new InputError(`invalid timeout: ${timeout} (use a positive number of seconds)`);
  if (lossThreshold !== undefined && Number.isNaN(lossThreshold)) throw new InputError('invalid lossThreshold: NaN (use a number)');
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new InputError(`invalid seed: ${seed} (use an integer)`);
}
