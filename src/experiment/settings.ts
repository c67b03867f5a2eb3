/**
 * Settings of `grooviest run`. Every default is the reference workflow's.
 * The features are the nine audio features by name, and k runs from 3 to 19
 * (Hyperopt's `randint(3, 20)`). The search is TPE with 10 evaluations over
 * 3 folds, with seed 42 for the search and the folds, KMeans seed 42, and one
 * trial at a time.
 */
import { DEFAULT_FEATURE_COLUMNS } from '../contracts/track-table.js';
import { InputError } from '../errors.js';
import type { DedupeMode } from '../frame/dedupe.js';
import type { HandleInvalid } from '../frame/engine.js';

/** Search algorithm of the k search. */
export type SearchAlgorithm = 'tpe' | 'rand';

/** Settings of one experiment. */
export interface RunSettings {
  /** Feature columns, by name. Default: the nine double-valued audio features. */
  features: string[];
  /** Smallest k tried (inclusive). Default 3. */
  kMin: number;
  /** Largest k tried (inclusive). Default 19. */
  kMax: number;
  /** Trials of the search. Default 10. */
  maxEvals: number;
  /** Cross-validation folds. Default 3. */
  folds: number;
  /** Default `tpe`. */
  algo: SearchAlgorithm;
  /** Seed of the search and of the fold assignment. Default 42. */
  seed: number;
  /** Seed of KMeans. Default 42, as the reference. */
  kmeansSeed: number;
  /** Trials evaluated at once. Default 1; results repeat exactly only at 1. */
  parallelism: number;
  /** TPE start-up trials drawn at random. Default 20 (Hyperopt's). */
  nStartupJobs: number;
  dedupe?: DedupeMode;
  dropSpoken: boolean;
  /** Null and NaN in feature columns: `error` (default), `skip` or `keep`. */
  handleInvalid: HandleInvalid;
  /** MLflow experiment name. Default `grooviest`. */
  experiment: string;
  /** Name of the parent run. Default `k_means`, as the reference. */
  runName: string;
  /** Artists shown in the report's per-artist views. Default 20. */
  reportArtists: number;
  /** Also log the final silhouette under the reference run's misspelt key `silouhette`. Default false. */
  referenceMetricAlias: boolean;
}

/** The reference workflow's settings. */
export const RUN_DEFAULTS: RunSettings = {
  features: [...DEFAULT_FEATURE_COLUMNS],
  kMin: 3,
  kMax: 19,
  maxEvals: 10,
  folds: 3,
  algo: 'tpe',
  seed: 42,
  kmeansSeed: 42,
  parallelism: 1,
  nStartupJobs: 20,
  dropSpoken: false,
  handleInvalid: 'error',
  experiment: 'grooviest',
  runName: 'k_means',
  reportArtists: 20,
  referenceMetricAlias: false,
};

function integer(value: number, name: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new InputError(`invalid ${name} ${value} (use a whole number of at least ${minimum})`);
}

/** Checks settings; the message names the flag and the fix. */
export function validateSettings(settings: RunSettings): void {
  integer(settings.kMin, '--k-min', 2);
  if (settings.kMax < settings.kMin) throw new InputError(`invalid k range: --k-min ${settings.kMin} is above --k-max ${settings.kMax} (both bounds are inclusive)`);
  integer(settings.kMax, '--k-max', settings.kMin);
  integer(settings.maxEvals, '--max-evals', 1);
  integer(settings.folds, '--folds', 2);
  integer(settings.parallelism, '--parallelism', 1);
  integer(settings.nStartupJobs, '--n-startup-jobs', 0);
  integer(settings.reportArtists, '--report-artists', 1);
  if (!Number.isSafeInteger(settings.seed)) throw new InputError(`invalid --seed ${settings.seed} (use an integer)`);
  if (!Number.isSafeInteger(settings.kmeansSeed)) throw new InputError(`invalid --kmeans-seed ${settings.kmeansSeed} (use an integer)`);
  if (settings.features.length === 0) throw new InputError('invalid --features: no columns (name at least one, e.g. --features danceability,energy)');
  const duplicates = settings.features.filter((name, i) => settings.features.indexOf(name) !== i);
  if (duplicates.length > 0) throw new InputError(`invalid --features: ${duplicates.join(', ')} named twice`);
}

/** Flattens settings into MLflow params (strings), without secrets (settings hold none). */
export function settingsAsParams(settings: RunSettings): Record<string, string> {
  return {
    features: settings.features.join(','),
    k_min: String(settings.kMin),
    k_max: String(settings.kMax),
    max_evals: String(settings.maxEvals),
    num_folds: String(settings.folds),
    algo: settings.algo,
    seed: String(settings.seed),
    kmeans_seed: String(settings.kmeansSeed),
    parallelism: String(settings.parallelism),
    n_startup_jobs: String(settings.nStartupJobs),
    dedupe: settings.dedupe ?? 'none',
    drop_spoken: String(settings.dropSpoken),
    handle_invalid: settings.handleInvalid,
    silhouette_distance: 'squaredEuclidean',
  };
}
