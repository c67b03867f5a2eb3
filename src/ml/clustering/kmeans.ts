/**
 * KMeans with Spark ML's params, defaults and semantics: k-means|| or random
 * initialisation, then the Lloyd loop with Spark's convergence rule (see
 * kmeans-parallel-init.ts and lloyd.ts). The same seed gives bit-identical
 * centres on the same data and platform.
 */
import { InputError } from '../../errors.js';
import { RandomGenerator } from '../../random.js';
import { integerAtLeast, nonEmptyString, oneOf, resolveParams, type ParamSpecs } from '../param.js';
import { saveStage } from '../persistence.js';
import { newUid, overridesFor, type Estimator, type FitOptions, type Model, type ParamMap, type StageDocument } from '../stage.js';
import type { Table } from '../table.js';
import { withKernels } from '../kernels/wasm.js';
import { pointsForMeasure, type DistanceMeasure } from './distance-measure.js';
import { distinctRowsUpTo, gatherRows, initKMeansParallel, initRandom } from './kmeans-parallel-init.js';
import { runLloyd } from './lloyd.js';

/**
 * Default seed: Java's `String.hashCode` of `org.apache.spark.ml.clustering.KMeans`,
 * the fixed default of Spark's Scala API (PySpark instead salts it per process).
 */
export const KMEANS_DEFAULT_SEED = -1689246527;

/** Params of {@link KMeans} and {@link KMeansModel}, with Spark ML's defaults. */
export interface KMeansParams {
  /** Number of clusters; default 2, at least 2. */
  k: number;
  /** Maximum Lloyd iterations; default 20, at least 0. */
  maxIter: number;
  /** Convergence threshold on how far every centre moved; default 1e-4. */
  tol: number;
  /** `k-means||` (default) or `random`. */
  initMode: 'k-means||' | 'random';
  /** Rounds of k-means|| sampling; default 2, at least 1. */
  initSteps: number;
  /** Random seed; default {@link KMEANS_DEFAULT_SEED}. */
  seed: number;
  /** `euclidean` (default) or `cosine`. */
  distanceMeasure: DistanceMeasure;
  /** Input vector column; default `features`. */
  featuresCol: string;
  /** Output cluster column; default `prediction`. */
  predictionCol: string;
  /** Optional column of non-negative row weights (unset: every row weighs 1). */
  weightCol?: string;
}

const specs: ParamSpecs<KMeansParams> = {
  k: { doc: 'number of clusters', default: 2, validate: (value) => (Number.isInteger(value) && value >= 2 ? undefined : 'k must be an integer of at least 2') },
  maxIter: { doc: 'maximum Lloyd iterations', default: 20, validate: integerAtLeast(0, 'maxIter') },
  tol: { doc: 'convergence threshold', default: 1e-4, validate: (value) => (Number.isFinite(value) && value >= 0 ? undefined : 'tol must be a number of at least 0') },
  initMode: { doc: 'initialisation', default: 'k-means||', validate: oneOf(['k-means||', 'random'], 'initMode') },
  initSteps: { doc: 'rounds of k-means|| sampling', default: 2, validate: integerAtLeast(1, 'initSteps') },
  seed: { doc: 'random seed', default: KMEANS_DEFAULT_SEED, validate: (value) => (Number.isSafeInteger(value) ? undefined : 'seed must be an integer') },
  distanceMeasure: { doc: 'distance measure', default: 'euclidean', validate: oneOf(['euclidean', 'cosine'], 'distanceMeasure') },
  featuresCol: { doc: 'input vector column', default: 'features', validate: nonEmptyString('featuresCol') },
  predictionCol: { doc: 'output cluster column', default: 'prediction', validate: nonEmptyString('predictionCol') },
  weightCol: { doc: 'column of row weights', optional: true, validate: nonEmptyString('weightCol') },
};

/** Facts about a fit, as Spark's KMeansSummary has them. */
export interface KMeansSummary {
  /** Number of centres found; below `k` when the data has fewer distinct points than k. */
  numCenters: number;
  /** Total weight of each cluster in the last training assignment. */
  clusterSizes: number[];
  trainingCost: number;
  numIter: number;
  /** Notes a user should read, such as fewer distinct centres than k. */
  warnings: string[];
}

/** Spark ML's KMeans (an Estimator). */
export class KMeans implements Estimator {
  readonly className = 'KMeans';
  readonly uid: string;
  readonly params: Readonly<KMeansParams>;

  /** Creates a KMeans estimator; params are validated here. */
  constructor(params: Partial<KMeansParams> = {}, uid?: string) {
    this.params = resolveParams('KMeans', specs, params);
    this.uid = uid ?? newUid(this.className);
  }

  /** Fits centres on the feature vectors of `table`. */
  fit(table: Table, options: FitOptions = {}): KMeansModel {
    const { k, maxIter, tol, initMode, initSteps, seed, distanceMeasure, featuresCol, weightCol } = this.params;
    const column = table.vector(featuresCol);
    const n = table.numRows;
    const d = column.size;
    if (n === 0) throw new InputError(`empty input: KMeans needs at least one row in column "${featuresCol}"`);
    checkFinite(column.values, d, featuresCol);
    const weights = weightCol === undefined ? undefined : readWeights(table, weightCol);
    const points = pointsForMeasure(column.values, d, distanceMeasure, featuresCol);
    const random = new RandomGenerator(seed);

    // Initial centres; fewer than k distinct candidates means fewer centres.
    const input = { points, weights, n, d, k, measure: distanceMeasure };
    let initial = initMode === 'random' ? initRandom(input, random) : initKMeansParallel(input, initSteps, random);
    const warnings: string[] = [];
    if (initial.length / d < k) {
      const distinct = distinctRowsUpTo(points, n, d, k);
      if (distinct.length <= k) initial = gatherRows(points, distinct, d);
      warnings.push(
        `KMeans found ${initial.length / d} distinct centres for k = ${k}: the data has ${distinct.length <= k ? `only ${distinct.length}` : 'more, but initialisation found fewer'} distinct points`,
      );
    }
    const numCenters = initial.length / d;

    const result = runLloyd({ points, weights, n, d, centers: initial, k: numCenters, maxIter, tol, measure: distanceMeasure });
    for (const message of warnings) options.onEvent?.({ type: 'warning', code: 'kmeans-fewer-centers', message, details: { k, numCenters } });
    const summary: KMeansSummary = {
      numCenters,
      clusterSizes: [...result.clusterWeights],
      trainingCost: result.trainingCost,
      numIter: result.numIter,
      warnings,
    };
    return new KMeansModel(this.params, result.centers, d, summary, column.slotNames, this.uid);
  }

  copy(extra?: ParamMap): KMeans {
    return new KMeans({ ...this.params, ...overridesFor(this.uid, extra) }, this.uid);
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: { ...this.params } };
  }

  /** Restores a KMeans estimator from its JSON form. */
  static fromDocument(document: StageDocument): KMeans {
    return new KMeans(document.params as Partial<KMeansParams>, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

/** A fitted KMeans: cluster centres and the facts of the fit. */
export class KMeansModel implements Model {
  readonly className = 'KMeansModel';
  readonly uid: string;
  readonly params: Readonly<KMeansParams>;
  /** Centres, row-major (numCenters × d). */
  readonly centers: Float64Array;
  /** Length of each centre. */
  readonly d: number;
  readonly summary: KMeansSummary;
  /** Names of the feature slots, when the input column had them. */
  readonly slotNames?: string[];

  /** Creates a model from fitted centres. */
  constructor(params: Partial<KMeansParams>, centers: Float64Array, d: number, summary: KMeansSummary, slotNames?: string[], uid?: string) {
    this.params = resolveParams('KMeansModel', specs, params);
    this.centers = centers;
    this.d = d;
    this.summary = summary;
    this.slotNames = slotNames;
    this.uid = uid ?? newUid(this.className);
  }

  /** Centres as arrays, like Spark's `clusterCenters`. */
  get clusterCenters(): number[][] {
    const result: number[][] = [];
    for (let c = 0; c < this.centers.length / this.d; c++) result.push([...this.centers.subarray(c * this.d, c * this.d + this.d)]);
    return result;
  }

  /** Σ weight · distance of the training rows to their centres (see lloyd.ts for which centres). */
  get trainingCost(): number {
    return this.summary.trainingCost;
  }

  /** Lloyd iterations the fit ran. */
  get numIter(): number {
    return this.summary.numIter;
  }

  /** Returns the table with the predicted cluster (nearest centre, ties to the lowest index) added. */
  transform(table: Table): Table {
    const { featuresCol, predictionCol, distanceMeasure } = this.params;
    return table.withColumn(predictionCol, { type: 'int', values: this.predict(table.vector(featuresCol).values, featuresCol, distanceMeasure) });
  }

  /** Returns the nearest centre of each row of a row-major array of feature vectors. */
  predict(x: Float64Array, column = this.params.featuresCol, measure: DistanceMeasure = this.params.distanceMeasure): Int32Array {
    const d = this.d;
    if (x.length % d !== 0) throw new InputError(`invalid column "${column}": ${x.length} values do not fill vectors of size ${d} (the model was fit on size ${d})`);
    checkFinite(x, d, column);
    const points = pointsForMeasure(x, d, measure, column);
    const n = points.length / d;
    const k = this.centers.length / d;
    return withKernels((kernels) => {
      const pointsAt = kernels.copyF64(points);
      const centersAt = kernels.copyF64(this.centers);
      const clustersAt = kernels.allocateI32(n);
      kernels.functions.nearestCenters(pointsAt, 0, n, d, centersAt, k, clustersAt, 0, kernels.screen(centersAt, k, d));
      return Int32Array.from(kernels.i32(clustersAt, n));
    });
  }

  copy(extra?: ParamMap): KMeansModel {
    return new KMeansModel({ ...this.params, ...overridesFor(this.uid, extra) }, this.centers, this.d, this.summary, this.slotNames, this.uid);
  }

  toDocument(): StageDocument {
    return {
      class: this.className,
      uid: this.uid,
      params: { ...this.params },
      data: { clusterCenters: this.clusterCenters, summary: { ...this.summary }, slotNames: this.slotNames ?? null },
    };
  }

  /** Restores a model from its JSON form. */
  static fromDocument(document: StageDocument): KMeansModel {
    const data = document.data as { clusterCenters: number[][]; summary: KMeansSummary; slotNames: string[] | null };
    const d = data.clusterCenters[0]?.length ?? 0;
    return new KMeansModel(document.params as Partial<KMeansParams>, Float64Array.from(data.clusterCenters.flat()), d, data.summary, data.slotNames ?? undefined, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

function checkFinite(x: Float64Array, d: number, column: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new InputError(`invalid value ${x[i]} in column "${column}" at row ${Math.floor(i / d)} (KMeans needs finite values; assemble with handleInvalid "skip" or fix the input)`);
    }
  }
}

function readWeights(table: Table, name: string): Float64Array {
  const column = table.column(name);
  if (column.type === 'vector') throw new InputError(`invalid weightCol "${name}": vectors where numbers are expected`);
  const weights = Float64Array.from(column.values);
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) throw new InputError(`invalid weight ${weights[i]} in column "${name}" at row ${i} (weights must be finite and at least 0)`);
  }
  return weights;
}
