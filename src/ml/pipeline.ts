/**
 * Pipeline: an Estimator made of stages run in order, as in Spark ML. Fitting
 * fits each Estimator on the output of the stages before it (so a scaler is
 * fit on its own training rows), and the PipelineModel applies the fitted
 * stages in the same order. Stages before the last are fit and applied
 * once per table (stage-cache.ts), so cross-validating the last stage's
 * params repeats only its own work.
 */
import { InputError } from '../errors.js';
import { saveStage } from './persistence.js';
import { cachedFit, cachedTransform } from './stage-cache.js';
import { isEstimator, newUid, type Estimator, type FitOptions, type Model, type ParamMap, type PipelineStage, type StageDocument, type Transformer } from './stage.js';
import type { Table } from './table.js';

/** Params of {@link Pipeline}. */
export interface PipelineParams {
  /** Stages, run in order: Transformers and Estimators. */
  stages: (Transformer | Estimator)[];
}

/** Spark ML's Pipeline (an Estimator). */
export class Pipeline implements Estimator {
  readonly className = 'Pipeline';
  readonly uid: string;
  readonly stages: (Transformer | Estimator)[];

  /** Creates a pipeline; its stage uids must be distinct. */
  constructor(params: PipelineParams, uid?: string) {
    if (!Array.isArray(params.stages)) throw new InputError('missing param stages for Pipeline (give a list of stages)');
    const uids = new Set(params.stages.map((stage) => stage.uid));
    if (uids.size !== params.stages.length) throw new InputError('invalid stages: two stages share a uid (give each stage its own instance)');
    this.stages = params.stages;
    this.uid = uid ?? newUid(this.className);
  }

  /** Fits every Estimator stage on the output of the stages before it. */
  fit(table: Table, options: FitOptions = {}): PipelineModel {
    const models: Model[] = [];
    let current = table;
    const last = this.stages.length - 1;
    this.stages.forEach((stage, index) => {
      // Stages before the last are cached: a search refits only what it varies.
      let model: Model = stage as Model;
      if (isEstimator(stage)) model = index < last ? cachedFit(stage, current, options) : stage.fit(current, options);
      models.push(model);
      if (index < last) current = cachedTransform(model, current);
    });
    return new PipelineModel(models, this.uid);
  }

  copy(extra?: ParamMap): Pipeline {
    return new Pipeline({ stages: this.stages.map((stage) => stage.copy(extra)) }, this.uid);
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: {}, data: { stages: this.stages.map((stage) => stage.toDocument()) } };
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

/** A fitted Pipeline: its fitted stages, applied in order. */
export class PipelineModel implements Model {
  readonly className = 'PipelineModel';
  readonly uid: string;
  readonly stages: Model[];

  /** Creates a pipeline model from fitted stages. */
  constructor(stages: Model[], uid?: string) {
    this.stages = stages;
    this.uid = uid ?? newUid(this.className);
  }

  /** Applies every stage in order (the output of stages before the last is cached per table, see stage-cache.ts). */
  transform(table: Table): Table {
    const last = this.stages.length - 1;
    return this.stages.reduce((current, stage, index) => (index < last ? cachedTransform(stage, current) : stage.transform(current)), table);
  }

  /** Returns the first stage of the given class, such as `KMeansModel`. */
  stage<T extends PipelineStage>(className: string): T | undefined {
    return this.stages.find((stage) => stage.className === className) as T | undefined;
  }

  copy(extra?: ParamMap): PipelineModel {
    return new PipelineModel(this.stages.map((stage) => stage.copy(extra)), this.uid);
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: {}, data: { stages: this.stages.map((stage) => stage.toDocument()) } };
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}
