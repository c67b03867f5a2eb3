/**
 * CrossValidator: k-fold cross-validation over a grid of param maps, as
 * Spark ML runs it. For every fold and param map the estimator is fit on the
 * other folds and evaluated on the fold's rows. `avgMetrics` is the
 * unweighted mean over folds, and `stdMetrics` the population standard
 * deviation (PySpark ≥ 3.3). The best param map (the first on ties) is refit
 * on all rows. Folds come from `foldCol` when set, otherwise from `seed`
 * (see fold-assignment.ts); there is always a seed, so folds repeat.
 */
import { InputError, JobError } from '../../errors.js';
import { SingleClusterError, type ClusteringEvaluator } from '../evaluation/clustering-evaluator.js';
import { integerAtLeast, resolveParams, type ParamSpecs } from '../param.js';
import { saveStage } from '../persistence.js';
import { cachedEntry } from '../stage-cache.js';
import { newUid, type Estimator, type FitOptions, type Model, type ParamMap, type StageDocument } from '../stage.js';
import type { Table } from '../table.js';
import { assignFolds, readFoldColumn, splitFold } from './fold-assignment.js';

/** Default seed of the fold draw when none is given. */
export const CROSS_VALIDATOR_DEFAULT_SEED = 42;

/** Params of {@link CrossValidator}. */
export interface CrossValidatorParams {
  estimator: Estimator;
  /** Param maps to compare; default one empty map. */
  estimatorParamMaps: ParamMap[];
  evaluator: ClusteringEvaluator;
  /** Number of folds; default 3, at least 2. */
  numFolds: number;
  /** Seed of the fold draw; default {@link CROSS_VALIDATOR_DEFAULT_SEED}. */
  seed: number;
  /** Column of user-given folds (integers 0..numFolds−1); overrides the seeded draw. */
  foldCol?: string;
  /** Spark's number of concurrent fits; default 1. */
  parallelism: number;
  /** Keep every fold's fitted model in `subModels`; default false. */
  collectSubModels: boolean;
}

const specs: ParamSpecs<CrossValidatorParams> = {
  estimator: { doc: 'estimator to cross-validate' },
  estimatorParamMaps: { doc: 'param maps to compare', default: [[]], validate: (value) => (Array.isArray(value) && value.length > 0 ? undefined : 'estimatorParamMaps must hold at least one param map') },
  evaluator: { doc: 'evaluator of the validation predictions' },
  numFolds: { doc: 'number of folds', default: 3, validate: integerAtLeast(2, 'numFolds') },
  seed: { doc: 'seed of the fold draw', default: CROSS_VALIDATOR_DEFAULT_SEED, validate: (value) => (Number.isSafeInteger(value) ? undefined : 'seed must be an integer') },
  foldCol: { doc: 'column of user-given folds', optional: true },
  parallelism: { doc: 'concurrent fits', default: 1, validate: integerAtLeast(1, 'parallelism') },
  collectSubModels: { doc: 'keep every fold model', default: false },
};

/** Raised when one fold cannot be evaluated, such as validation predictions in a single cluster. */
export class FoldEvaluationError extends JobError {
  /** The fold (0-based) that failed. */
  readonly fold: number;
  /** Index of the param map in `estimatorParamMaps`. */
  readonly paramMapIndex: number;

  constructor(fold: number, paramMapIndex: number, cause: Error) {
    super(`fold ${fold} of the cross-validation failed for param map ${paramMapIndex}: ${cause.message}`, { cause });
    this.fold = fold;
    this.paramMapIndex = paramMapIndex;
  }
}

/** Metrics of every fold and param map, before the refit. */
export interface CrossValidationMetrics {
  /** `foldMetrics[fold][paramMapIndex]`. */
  foldMetrics: number[][];
  /** Mean over folds, per param map. */
  avgMetrics: number[];
  /** Population standard deviation over folds, per param map. */
  stdMetrics: number[];
  /** Index of the best param map (first on ties). */
  bestIndex: number;
  /** `subModels[fold][paramMapIndex]` when `collectSubModels` is set. */
  subModels?: Model[][];
}

/** The fitted CrossValidator: the best model refit on all rows, and the metrics. It transforms with the best model. */
export class CrossValidatorModel implements Model, CrossValidationMetrics {
  readonly className = 'CrossValidatorModel';
  readonly uid: string;
  readonly bestModel: Model;
  /** The param map the best model was refit with. */
  readonly bestParamMap: ParamMap;
  readonly foldMetrics: number[][];
  readonly avgMetrics: number[];
  readonly stdMetrics: number[];
  readonly bestIndex: number;
  readonly subModels?: Model[][];

  constructor(bestModel: Model, bestParamMap: ParamMap, metrics: CrossValidationMetrics, uid?: string) {
    this.bestModel = bestModel;
    this.bestParamMap = bestParamMap;
    this.foldMetrics = metrics.foldMetrics;
    this.avgMetrics = metrics.avgMetrics;
    this.stdMetrics = metrics.stdMetrics;
    this.bestIndex = metrics.bestIndex;
    if (metrics.subModels) this.subModels = metrics.subModels;
    this.uid = uid ?? newUid(this.className);
  }

  /** Applies the best model. */
  transform(table: Table): Table {
    return this.bestModel.transform(table);
  }

  copy(extra?: ParamMap): CrossValidatorModel {
    return new CrossValidatorModel(this.bestModel.copy(extra), this.bestParamMap, this, this.uid);
  }

  toDocument(): StageDocument {
    return {
      class: this.className,
      uid: this.uid,
      params: {},
      data: {
        bestModel: this.bestModel.toDocument(),
        bestParamMap: this.bestParamMap,
        foldMetrics: this.foldMetrics,
        avgMetrics: this.avgMetrics,
        stdMetrics: this.stdMetrics,
        bestIndex: this.bestIndex,
        subModels: this.subModels?.map((row) => row.map((model) => model.toDocument())) ?? null,
      },
    };
  }

  /** Restores a model from its JSON form; `stageFromDocument` rebuilds the nested models. */
  static fromDocument(document: StageDocument, stageFromDocument: (nested: StageDocument) => unknown): CrossValidatorModel {
    const data = document.data as {
      bestModel: StageDocument;
      bestParamMap: ParamMap;
      foldMetrics: number[][];
      avgMetrics: number[];
      stdMetrics: number[];
      bestIndex: number;
      subModels: StageDocument[][] | null;
    };
    const subModels = data.subModels?.map((row) => row.map((nested) => stageFromDocument(nested) as Model));
    const metrics = { foldMetrics: data.foldMetrics, avgMetrics: data.avgMetrics, stdMetrics: data.stdMetrics, bestIndex: data.bestIndex, ...(subModels ? { subModels } : {}) };
    return new CrossValidatorModel(stageFromDocument(data.bestModel) as Model, data.bestParamMap, metrics, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

/** Spark ML's CrossValidator. */
export class CrossValidator implements Estimator {
  readonly className = 'CrossValidator';
  readonly uid: string;
  readonly params: Readonly<CrossValidatorParams>;

  /** Creates a cross-validator; params are validated here. */
  constructor(params: Partial<CrossValidatorParams>, uid?: string) {
    this.params = resolveParams('CrossValidator', specs, params);
    this.uid = uid ?? newUid(this.className);
  }

  /** Cross-validates every param map, then refits the best one on all rows. */
  fit(table: Table, options: FitOptions = {}): CrossValidatorModel {
    const metrics = this.crossValidate(table, options);
    const bestParamMap = this.params.estimatorParamMaps[metrics.bestIndex];
    const bestModel = this.params.estimator.copy(bestParamMap).fit(table, options);
    return new CrossValidatorModel(bestModel, bestParamMap, metrics);
  }

  /**
   * Returns the per-fold metrics without the final refit. Folds come from
   * `folds` when given (one fold number per row), else from `foldCol`, else
   * from `seed`.
   */
  crossValidate(table: Table, options: FitOptions = {}, folds?: Int32Array): CrossValidationMetrics {
    const { estimator, estimatorParamMaps, evaluator, numFolds, seed, foldCol, collectSubModels } = this.params;
    if (table.numRows === 0) throw new InputError('empty input: cross-validation needs rows');
    const assignment = folds ?? (foldCol !== undefined ? readFoldColumn(table, foldCol, numFolds) : assignFolds(table.numRows, numFolds, seed));

    // NOTE: fits run one after another; `parallelism` is accepted for Spark compatibility only.
    const foldMetrics: number[][] = [];
    const subModels: Model[][] = [];
    for (let fold = 0; fold < numFolds; fold++) {
      const { trainingTable, validationTable } = foldTables(table, assignment, fold);
      const row: number[] = [];
      const models: Model[] = [];
      estimatorParamMaps.forEach((paramMap, index) => {
        const model = estimator.copy(paramMap).fit(trainingTable, options);
        try {
          row.push(evaluator.evaluate(model.transform(validationTable)));
        } catch (error) {
          if (error instanceof SingleClusterError) throw new FoldEvaluationError(fold, index, error);
          throw error;
        }
        if (collectSubModels) models.push(model);
      });
      foldMetrics.push(row);
      if (collectSubModels) subModels.push(models);
    }

    const avgMetrics = estimatorParamMaps.map((_, index) => mean(foldMetrics.map((row) => row[index])));
    const stdMetrics = estimatorParamMaps.map((_, index) => populationStd(foldMetrics.map((row) => row[index])));
    let bestIndex = 0;
    for (let index = 1; index < avgMetrics.length; index++) {
      const better = evaluator.isLargerBetter ? avgMetrics[index] > avgMetrics[bestIndex] : avgMetrics[index] < avgMetrics[bestIndex];
      if (better) bestIndex = index;
    }
    return collectSubModels ? { foldMetrics, avgMetrics, stdMetrics, bestIndex, subModels } : { foldMetrics, avgMetrics, stdMetrics, bestIndex };
  }

  /** Returns a copy whose estimator takes the overrides of `extra` aimed at its stages. */
  copy(extra?: ParamMap): CrossValidator {
    return new CrossValidator({ ...this.params, estimator: this.params.estimator.copy(extra) }, this.uid);
  }

  toDocument(): StageDocument {
    const { estimator, estimatorParamMaps, evaluator, ...params } = this.params;
    return { class: this.className, uid: this.uid, params, data: { estimator: estimator.toDocument(), estimatorParamMaps, evaluator: evaluator.toDocument() } };
  }

  /** Restores a cross-validator from its JSON form; `stageFromDocument` rebuilds the estimator and the evaluator. */
  static fromDocument(document: StageDocument, stageFromDocument: (nested: StageDocument) => unknown): CrossValidator {
    const data = document.data as { estimator: StageDocument; estimatorParamMaps: ParamMap[]; evaluator: StageDocument };
    const params = document.params as Partial<CrossValidatorParams>;
    return new CrossValidator(
      { ...params, estimator: stageFromDocument(data.estimator) as Estimator, estimatorParamMaps: data.estimatorParamMaps, evaluator: stageFromDocument(data.evaluator) as ClusteringEvaluator },
      document.uid,
    );
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

/** Fold tables by input table and fold assignment: the same objects for every call, so pipeline stages can reuse their work (see ../stage-cache.ts). */
interface FoldTables {
  trainingTable: Table;
  validationTable: Table;
}

const foldTableCache = new WeakMap<Table, WeakMap<Int32Array, FoldTables[]>>();

function foldTables(table: Table, assignment: Int32Array, fold: number): FoldTables {
  const byAssignment = cachedEntry(foldTableCache, table, () => new WeakMap<Int32Array, FoldTables[]>());
  const folds = cachedEntry(byAssignment, assignment, () => []);
  if (folds[fold] === undefined) {
    const { training, validation } = splitFold(assignment, fold);
    if (validation.length === 0) throw new FoldEvaluationError(fold, 0, new InputError(`fold ${fold} has no validation rows (use fewer folds or more rows)`));
    folds[fold] = { trainingTable: table.selectRows(training), validationTable: table.selectRows(validation) };
  }
  return folds[fold];
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function populationStd(values: number[]): number {
  const center = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - center) ** 2, 0) / values.length);
}
