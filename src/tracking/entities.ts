/**
 * MLflow's tracking data model as grooviest stores it: experiments, runs,
 * params, metrics (a history of values with steps) and tags. Field names follow
 * MLflow's REST API (`RunInfo`, `Param`, `Metric`, `RunTag`) in camelCase.
 */

/** Status of a run, as MLflow spells it. A run ends FINISHED, FAILED or KILLED. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** The statuses a run can end with. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/** An experiment: a named group of runs. */
export interface Experiment {
  experimentId: string;
  name: string;
  /** `active` or `deleted`. */
  lifecycleStage: string;
  /** Milliseconds since the Unix epoch. */
  creationTime: number;
}

/** The metadata of a run. */
export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  /** Milliseconds since the Unix epoch. */
  startTime: number;
  /** Milliseconds since the Unix epoch; absent while the run is RUNNING. */
  endTime?: number;
  /** `active` or `deleted` (a deleted run is hidden, not erased). */
  lifecycleStage: string;
}

/** A param: a key logged once per run with one string value. */
export interface Param {
  key: string;
  value: string;
}

/** A tag: a key with a string value that may be set again. */
export interface RunTag {
  key: string;
  value: string;
}

/** One value of a metric's history. */
export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** Integer step; 0 unless given. */
  step: number;
}

/** A run with its data: params, every tag, and the latest value of each metric. */
export interface Run {
  info: RunInfo;
  params: Param[];
  tags: RunTag[];
  /** Latest value of each metric key (largest step, then latest timestamp). */
  metrics: Metric[];
}

/** A file stored with a run, by its path relative to the run's artifact root. */
export interface ArtifactFile {
  path: string;
  /** Size in bytes. */
  size: number;
}

/** System tags MLflow reads (`mlflow.*`); the parent tag turns a run into a child run. */
export const SystemTags = {
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  logModelHistory: 'mlflow.log-model.history',
  /** grooviest's own id of the run, so a server run can be found again after a lost response. */
  grooviestRunId: 'grooviest.runId',
} as const;
