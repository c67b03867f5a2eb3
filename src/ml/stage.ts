/**
 * The shapes every ML stage shares, after Spark ML: a Transformer maps a
 * table to a table, an Estimator fits a Model (a Transformer) on a table,
 * and both are declared by their params. A param map overrides params of
 * stages by uid, which is how a grid search reaches a stage inside a
 * Pipeline.
 */
import type { OnEvent } from '../contracts/events.js';
import type { Table } from './table.js';

/** One param value aimed at the stage with this uid. */
export interface ParamPair {
  uid: string;
  param: string;
  value: unknown;
}

/** A set of param values for one fit, such as one point of a ParamGridBuilder grid. */
export type ParamMap = ParamPair[];

/** Options of a `fit` call. */
export interface FitOptions {
  /** Receives warnings (such as fewer distinct centres than k) and progress. */
  onEvent?: OnEvent;
}

/** The JSON form of a stage, as stored by `save` (see persistence.ts). */
export interface StageDocument {
  /** Stage class, such as `KMeansModel`. */
  class: string;
  uid: string;
  params: Record<string, unknown>;
  /** Fitted values of a model (scaler mean and std, cluster centres, nested stages). */
  data?: Record<string, unknown>;
}

/** The members every stage shares: a uid, params, a JSON form and `save`. */
export interface PipelineStage {
  readonly uid: string;
  readonly className: string;
  /** Returns the JSON form of the stage. */
  toDocument(): StageDocument;
  /** Returns a copy whose params are overridden by the pairs of `extra` aimed at this uid. */
  copy(extra?: ParamMap): PipelineStage;
  /** Writes the stage to `dir` (see persistence.ts for the format). */
  save(dir: string, options?: { overwrite?: boolean }): Promise<void>;
}

/** A stage that maps a table to a new table. */
export interface Transformer extends PipelineStage {
  transform(table: Table): Table;
  copy(extra?: ParamMap): Transformer;
}

/** A stage that learns a Model from a table. */
export interface Estimator extends PipelineStage {
  fit(table: Table, options?: FitOptions): Model;
  copy(extra?: ParamMap): Estimator;
}

/** A fitted Transformer; it remembers the params it was fit with. */
export type Model = Transformer;

/** Returns true when a stage is an Estimator. */
export function isEstimator(stage: PipelineStage): stage is Estimator {
  return typeof (stage as Partial<Estimator>).fit === 'function';
}

let uidCounter = 0;

/** Returns a new uid for a stage: the class name and a counter, deterministic within a process. */
export function newUid(className: string): string {
  uidCounter += 1;
  return `${className}_${uidCounter.toString(16).padStart(4, '0')}`;
}

/** Returns the values of `extra` aimed at `uid` as a plain object of param overrides. */
export function overridesFor(uid: string, extra: ParamMap | undefined): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const pair of extra ?? []) if (pair.uid === uid) overrides[pair.param] = pair.value;
  return overrides;
}
