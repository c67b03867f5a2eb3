/**
 * `summary.json`: the machine-readable result of a run. Versioned: readers
 * check `schema_version` (currently 1); keys are only added within a version.
 */
import type { RunHandle, TrackingClient } from '../tracking/index.js';
import { packageVersion } from '../version.js';
import type { FinalModel } from './final-model.js';
import { trialK, trialPhase, type KSearchResult } from './k-search.js';
import type { RunSettings } from './settings.js';

/** Version of the summary layout. */
export const SUMMARY_SCHEMA_VERSION = 1;

/** The contents of `summary.json`. */
export interface RunSummary {
  schema_version: number;
  best_k: number;
  final_silhouette: number;
  settings: RunSettings;
  data: { inputs: string[]; sha256: string; rows: number; rows_clustered: number; features: string[] };
  trials: { tid: number; k: number; status: string; loss: number | null; silhouette_mean: number | null; reason: string | null; phase: string; duration_ms: number | null }[];
  k_tried: number[];
  clusters: { cluster: number; size: number }[];
  timings_ms: Record<string, number>;
  tracking: { experiment: string; parent_run_id: string; child_run_ids: string[]; server: string | null; local_store: string };
  outputs: { dir: string; report: string; predictions: string; model: string };
  versions: { grooviest: string; node: string };
}

/** Inputs of {@link buildSummary}. */
export interface SummaryParts {
  settings: RunSettings;
  search: KSearchResult;
  final: FinalModel;
  timings: Record<string, number>;
  inputNames: string[];
  inputHash: string;
  rows: number;
  rowsUsed: number;
  parent: RunHandle;
  client: TrackingClient;
  outDir: string;
  reportPath: string;
  predictionsPath: string;
  modelDir: string;
}

/** Builds the summary document of a finished run. */
export function buildSummary(parts: SummaryParts): RunSummary {
  const { settings, search, final } = parts;
  const sizes = new Map<number, number>();
  for (const cluster of final.predictions) sizes.set(cluster, (sizes.get(cluster) ?? 0) + 1);
  return {
    schema_version: SUMMARY_SCHEMA_VERSION,
    best_k: search.bestK,
    final_silhouette: final.silhouette,
    settings,
    data: { inputs: parts.inputNames, sha256: parts.inputHash, rows: parts.rows, rows_clustered: parts.rowsUsed, features: settings.features },
    trials: search.trials.trials.map((trial) => ({
      tid: trial.tid,
      k: trialK(trial),
      status: trial.status,
      loss: trial.loss ?? null,
      silhouette_mean: trial.metrics?.silhouette_mean ?? null,
      reason: trial.reason ?? null,
      phase: trialPhase(trial, settings),
      duration_ms: trial.durationMs ?? null,
    })),
    k_tried: search.trials.trials.map(trialK),
    clusters: [...sizes.entries()].sort((a, b) => a[0] - b[0]).map(([cluster, size]) => ({ cluster, size })),
    timings_ms: Object.fromEntries(Object.entries(parts.timings).map(([phase, ms]) => [phase, Math.round(ms)])),
    tracking: {
      experiment: settings.experiment,
      parent_run_id: parts.parent.runId,
      child_run_ids: [...search.childRunIds.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id),
      server: parts.client.remoteUri ?? null,
      local_store: parts.client.local.dir,
    },
    outputs: { dir: parts.outDir, report: parts.reportPath, predictions: parts.predictionsPath, model: parts.modelDir },
    versions: { grooviest: packageVersion(), node: process.version },
  };
}
