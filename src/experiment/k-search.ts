/**
 * The k search: Hyperopt-style `fmin` over `randint('k_value', kMin, kMax + 1)`
 * with the cross-validated silhouette objective, one MLflow child run per
 * trial (param `k_value`, metrics `loss`, `silhouette_fold_<i>`,
 * `silhouette_mean`, `silhouette_std`, `training_cost`).
 */
import type { Dataset } from '../contracts/dataset.js';
import type { OnEvent } from '../contracts/events.js';
import { evaluateK } from '../ml/objective.js';
import type { RunHandle, TrackingClient } from '../tracking/index.js';
import { fmin, hp, rand, runStatusOf, tpe, type Trial, type Trials } from '../tune/index.js';
import type { RunSettings } from './settings.js';

/** The result of the search. */
export interface KSearchResult {
  bestK: number;
  trials: Trials;
  /** Child run id of each trial, by tid. */
  childRunIds: Map<number, string>;
  /** Settles when every child run has reached the tracking server (at once without a server). */
  delivered: Promise<void>;
}

/** Returns how the searcher chose a trial's k: at random (start-up), by the TPE model, or as a given point. */
export function trialPhase(trial: Trial, settings: RunSettings): 'random' | 'tpe' | 'given' {
  if (trial.seed === undefined) return 'given';
  return settings.algo === 'tpe' && trial.tid >= settings.nStartupJobs ? 'tpe' : 'random';
}

/** Returns the k of a trial (stored as the `k_value` assignment). */
export function trialK(trial: Trial): number {
  return Number(trial.params.k_value);
}

/** Options of {@link runKSearch}. */
export interface KSearchOptions {
  dataset: Dataset;
  settings: RunSettings;
  client: TrackingClient;
  parent: RunHandle;
  /** File the trials are saved to at every trial start and end; an existing file is resumed. */
  trialsFile: string;
  onEvent: OnEvent;
}

/** Runs the search, logging a child run per trial; returns the best k and the trials. */
export async function runKSearch(options: KSearchOptions): Promise<KSearchResult> {
  const { dataset, settings, client, parent, onEvent } = options;
  const childRuns = new Map<number, Promise<RunHandle>>();
  const childRunIds = new Map<number, string>();
  const logging: Promise<void>[] = [];
  let best: { k: number; silhouette: number } | undefined;
  let finished = 0;

  const algo = settings.algo === 'rand' ? rand.suggest : tpe.withOptions({ nStartupJobs: settings.nStartupJobs });
  const space = { k_value: hp.randint('k_value', settings.kMin, settings.kMax + 1) };

  const onTrialStart = (trial: Trial) => {
    // The server gets the run in the background: a slow server does not hold up the search.
    const tags = { 'grooviest.trial_id': String(trial.tid), 'grooviest.phase': trialPhase(trial, settings) };
    const started = client.startRun({ parent, runName: `trial_${trial.tid}`, tags, waitForServer: false });
    childRuns.set(trial.tid, started);
    logging.push(
      started.then(async (run) => {
        childRunIds.set(trial.tid, run.runId);
        await run.logParam('k_value', trialK(trial));
      }),
    );
  };

  const onTrialEnd = (trial: Trial) => {
    const started = childRuns.get(trial.tid);
    if (!started) return;
    finished++;
    const k = trialK(trial);
    const silhouette = trial.metrics?.silhouette_mean;
    if (trial.status === 'ok' && silhouette !== undefined && (best === undefined || silhouette > best.silhouette)) best = { k, silhouette };
    const score = trial.status === 'ok' && silhouette !== undefined ? `silhouette ${silhouette.toFixed(4)}` : `failed: ${trial.reason ?? 'unknown reason'}`;
    onEvent({ type: 'progress', task: 'trials', done: finished, total: settings.maxEvals, message: `k=${k} ${score}${best ? `; best k=${best.k} (${best.silhouette.toFixed(4)})` : ''}` });

    logging.push(
      started.then(async (run) => {
        const metrics: Record<string, number> = {};
        if (trial.loss !== undefined) metrics.loss = trial.loss;
        for (const [key, value] of Object.entries(trial.metrics ?? {})) if (Number.isFinite(value)) metrics[key] = value;
        // Logged without waiting in between, so the three reach the server in one delivery when they can.
        await Promise.all([
          Object.keys(metrics).length > 0 ? run.logMetrics(metrics, { step: trial.tid }) : undefined,
          run.setTags({ 'grooviest.trial_status': trial.status, ...(trial.reason ? { 'grooviest.trial_reason': trial.reason } : {}) }),
          run.end(runStatusOf(trial)),
        ]);
      }),
    );
  };

  const result = await fmin({
    fn: async ({ k_value }) => {
      // A trial is synchronous numeric work: yield to the event loop first so a Ctrl-C handler can run between trials.
      await new Promise((resolve) => setImmediate(resolve));
      return evaluateK(dataset, { k: k_value, numFolds: settings.folds, seed: settings.seed, kmeansSeed: settings.kmeansSeed, onEvent });
    },
    space,
    algo,
    maxEvals: settings.maxEvals,
    seed: settings.seed,
    parallelism: settings.parallelism,
    trialsSaveFile: options.trialsFile,
    onEvent,
    onTrial: (event) => (event.type === 'trialStart' ? onTrialStart(event.trial) : onTrialEnd(event.trial)),
  });
  // Child runs are logged locally by now; the server deliveries may still be under way.
  await Promise.all([...childRuns.values()]);
  const delivered = Promise.all(logging).then(() => undefined);
  // Marked as handled here. The caller awaits it later and gets any failure then.
  delivered.catch(() => undefined);
  return { bestK: Number(result.best.k_value), trials: result.trials, childRunIds, delivered };
}
