/**
 * The k objective the search minimises: a CrossValidator over the pipeline
 * VectorAssembler → StandardScaler(withMean, withStd) → KMeans(k) with the
 * silhouette evaluator, as the reference workflow runs it. The loss is the
 * negative mean silhouette over the validation folds.
 *
 * Built to be called once per trial: the input table and the fold assignment
 * are computed once per dataset, fold count and seed, and reused.
 */
import type { Dataset } from '../contracts/dataset.js';
import type { OnEvent } from '../contracts/events.js';
import type { ObjectiveResult } from '../contracts/objective.js';
import { InputError } from '../errors.js';
import { KMeans, KMeansModel } from './clustering/kmeans.js';
import type { DistanceMeasure } from './clustering/distance-measure.js';
import { ClusteringEvaluator, type SilhouetteDistance } from './evaluation/clustering-evaluator.js';
import { StandardScaler } from './feature/standard-scaler.js';
import { VectorAssembler } from './feature/vector-assembler.js';
import { Pipeline, PipelineModel } from './pipeline.js';
import { tableFromDataset, type Table } from './table.js';
import { CROSS_VALIDATOR_DEFAULT_SEED, CrossValidator, FoldEvaluationError } from './tuning/cross-validator.js';
import { assignFolds } from './tuning/fold-assignment.js';

/** Options of {@link evaluateK}. */
export interface EvaluateKOptions {
  /** Number of clusters to evaluate (at least 2). */
  k: number;
  /** Cross-validation folds; default 3. */
  numFolds?: number;
  /** Seed of the fold draw; default 42. */
  seed?: number;
  /** Seed of KMeans; default 42 (the reference workflow's). */
  kmeansSeed?: number;
  /** KMeans distance; default `euclidean`. */
  distanceMeasure?: DistanceMeasure;
  /** Silhouette distance; default `squaredEuclidean` (Spark's). */
  silhouetteDistance?: SilhouetteDistance;
  /** KMeans maxIter; default 20. */
  maxIter?: number;
  /** KMeans tol; default 1e-4. */
  tol?: number;
  /** KMeans initMode; default `k-means||`. */
  initMode?: 'k-means||' | 'random';
  /** KMeans initSteps; default 2. */
  initSteps?: number;
  /** StandardScaler withMean; default true (the workflow's). */
  withMean?: boolean;
  /** StandardScaler withStd; default true. */
  withStd?: boolean;
  onEvent?: OnEvent;
}

interface PreparedInput {
  table: Table;
  folds: Map<string, Int32Array>;
}

const prepared = new WeakMap<Dataset, PreparedInput>();

/**
 * Cross-validates the pipeline for one k and returns Hyperopt's result
 * document: loss = −mean fold silhouette, metrics `silhouette_fold_<i>`,
 * `silhouette_mean`, `silhouette_std` (population) and `training_cost` (the
 * mean KMeans training cost of the fold models). Expected failures (fewer
 * rows than k, a fold whose validation rows fall in one cluster) return
 * `status: 'fail'` with the reason; invalid options still throw.
 */
export async function evaluateK(dataset: Dataset, options: EvaluateKOptions): Promise<ObjectiveResult> {
  const numFolds = options.numFolds ?? 3;
  const seed = options.seed ?? CROSS_VALIDATOR_DEFAULT_SEED;
  const { k } = options;
  const input = prepare(dataset);
  const n = input.table.numRows;
  if (n < k) return { status: 'fail', reason: `fewer rows (${n}) than k (${k})` };

  const folds = foldsFor(input, numFolds, seed);
  const pipeline = buildPipeline(dataset.columns, options);
  const kmeans = pipeline.stages[2] as KMeans;
  const validator = new CrossValidator({
    estimator: pipeline,
    estimatorParamMaps: [[{ uid: kmeans.uid, param: 'k', value: k }]],
    evaluator: new ClusteringEvaluator({ featuresCol: 'scaled_features', distanceMeasure: options.silhouetteDistance ?? 'squaredEuclidean' }),
    numFolds,
    seed,
    collectSubModels: true,
  });

  try {
    const result = validator.crossValidate(input.table, { onEvent: options.onEvent }, folds);
    const silhouettes = result.foldMetrics.map((row) => row[0]);
    const metrics: Record<string, number> = {};
    silhouettes.forEach((value, fold) => (metrics[`silhouette_fold_${fold}`] = value));
    metrics.silhouette_mean = result.avgMetrics[0];
    metrics.silhouette_std = result.stdMetrics[0];
    const costs = result.subModels!.map((row) => (row[0] as PipelineModel).stage<KMeansModel>('KMeansModel')!.trainingCost);
    metrics.training_cost = costs.reduce((sum, cost) => sum + cost, 0) / costs.length;
    return { loss: -result.avgMetrics[0], status: 'ok', metrics };
  } catch (error) {
    if (error instanceof FoldEvaluationError) return { status: 'fail', reason: error.message };
    throw error;
  }
}

/** Builds the workflow's pipeline: VectorAssembler → StandardScaler → KMeans (k set by the caller's param map). */
export function buildPipeline(inputCols: string[], options: Omit<EvaluateKOptions, 'k'> & { k?: number } = {}): Pipeline {
  const assembler = new VectorAssembler({ inputCols, outputCol: 'features', handleInvalid: 'error' });
  const scaler = new StandardScaler({ inputCol: 'features', outputCol: 'scaled_features', withMean: options.withMean ?? true, withStd: options.withStd ?? true });
  const kmeans = new KMeans({
    k: options.k ?? 2,
    featuresCol: 'scaled_features',
    predictionCol: 'prediction',
    seed: options.kmeansSeed ?? 42,
    distanceMeasure: options.distanceMeasure ?? 'euclidean',
    maxIter: options.maxIter ?? 20,
    tol: options.tol ?? 1e-4,
    initMode: options.initMode ?? 'k-means||',
    initSteps: options.initSteps ?? 2,
  });
  return new Pipeline({ stages: [assembler, scaler, kmeans] });
}

function prepare(dataset: Dataset): PreparedInput {
  let input = prepared.get(dataset);
  if (input === undefined) {
    if (dataset.columns.length === 0) throw new InputError('invalid dataset: no feature columns (choose at least one column)');
    input = { table: tableFromDataset(dataset), folds: new Map() };
    prepared.set(dataset, input);
  }
  return input;
}

function foldsFor(input: PreparedInput, numFolds: number, seed: number): Int32Array {
  const key = `${numFolds}:${seed}`;
  let folds = input.folds.get(key);
  if (folds === undefined) {
    folds = assignFolds(input.table.numRows, numFolds, seed);
    input.folds.set(key, folds);
  }
  return folds;
}
