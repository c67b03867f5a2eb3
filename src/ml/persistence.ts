/**
 * Saving and loading ML stages as versioned JSON.
 *
 * `stage.save(dir)` writes one file, `<dir>/stage.json`, atomically
 * (temporary file, then rename):
 *
 * ```json
 * {
 *   "format": "grooviest.ml.stage",
 *   "formatVersion": 1,
 *   "libraryVersion": "0.1.0",
 *   "savedAt": "2026-12-04T20:00:00.000Z",
 *   "stage": { "class": "PipelineModel", "uid": "PipelineModel_0003", "params": {}, "data": { "stages": [ … ] } }
 * }
 * ```
 *
 * `stage` contains the class, the uid, every param (defaults included) and,
 * for fitted models, `data`. `StandardScalerModel` data has `mean`, `std` and
 * `slotNames`. `KMeansModel` data has `clusterCenters` (one array per centre),
 * `summary` and `slotNames`. `Pipeline` and `PipelineModel` nest their stages
 * in `data.stages`. `CrossValidator` nests its estimator, param maps and
 * evaluator; `CrossValidatorModel` its best model, metrics and (when
 * collected) fold models. The full description is in docs/model-format.md. A file
 * with a newer `formatVersion` is rejected rather than misread.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { packageVersion } from '../version.js';
import { KMeans, KMeansModel } from './clustering/kmeans.js';
import { ClusteringEvaluator } from './evaluation/clustering-evaluator.js';
import { StandardScaler, StandardScalerModel } from './feature/standard-scaler.js';
import { VectorAssembler } from './feature/vector-assembler.js';
import { Pipeline, PipelineModel } from './pipeline.js';
import { CrossValidator, CrossValidatorModel } from './tuning/cross-validator.js';
import type { Estimator, Model, StageDocument, Transformer } from './stage.js';

/** Value of the `format` field of a saved stage. */
export const STAGE_FORMAT = 'grooviest.ml.stage';
/** The format version this library writes and the newest it reads. */
export const STAGE_FORMAT_VERSION = 1;
/** Name of the file a stage is saved to inside its directory. */
export const STAGE_FILE = 'stage.json';

/** Anything that can be saved: a stage or an evaluator. */
export interface Savable {
  toDocument(): StageDocument;
}

/** The top-level JSON object of a saved stage. */
export interface SavedStageFile {
  format: typeof STAGE_FORMAT;
  formatVersion: number;
  libraryVersion: string;
  savedAt: string;
  stage: StageDocument;
}

/** Writes `stage` to `<dir>/stage.json`; an existing file is replaced only with `overwrite`. */
export async function saveStage(stage: Savable, dir: string, options: { overwrite?: boolean } = {}): Promise<void> {
  const target = join(dir, STAGE_FILE);
  if (!options.overwrite && existsSync(target)) {
    throw new InputError(`invalid output directory: ${dir} already contains a saved stage (choose another directory or pass overwrite)`);
  }
  const file: SavedStageFile = {
    format: STAGE_FORMAT,
    formatVersion: STAGE_FORMAT_VERSION,
    libraryVersion: packageVersion(),
    savedAt: new Date().toISOString(),
    stage: stage.toDocument(),
  };
  await writeFileAtomic(target, JSON.stringify(file, null, 2) + '\n');
}

/** Reads a stage saved with `save(dir)`. */
export async function loadStage(dir: string): Promise<Transformer | Estimator | ClusteringEvaluator> {
  const path = join(dir, STAGE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`saved stage not found: ${path} (give a directory written by save)`);
  }
  let file: SavedStageFile;
  try {
    file = JSON.parse(text) as SavedStageFile;
  } catch (error) {
    throw new InputError(`invalid saved stage ${path}: not JSON (${(error as Error).message})`);
  }
  if (file.format !== STAGE_FORMAT) throw new InputError(`invalid saved stage ${path}: format "${file.format}" (expected "${STAGE_FORMAT}")`);
  if (!Number.isInteger(file.formatVersion) || file.formatVersion > STAGE_FORMAT_VERSION) {
    throw new InputError(`invalid saved stage ${path}: formatVersion ${file.formatVersion} is newer than ${STAGE_FORMAT_VERSION} (upgrade grooviest)`);
  }
  return stageFromDocument(file.stage);
}

/** Reads a saved model (a Transformer), failing when the directory contains an Estimator or an evaluator. */
export async function loadModel(dir: string): Promise<Model> {
  const stage = await loadStage(dir);
  if (!('transform' in stage)) throw new InputError(`invalid saved model ${dir}: it contains a ${stage.className}, not a model (fit it first)`);
  return stage;
}

/** Rebuilds a stage from its JSON form. */
export function stageFromDocument(document: StageDocument): Transformer | Estimator | ClusteringEvaluator {
  switch (document.class) {
    case 'VectorAssembler':
      return VectorAssembler.fromDocument(document);
    case 'StandardScaler':
      return StandardScaler.fromDocument(document);
    case 'StandardScalerModel':
      return StandardScalerModel.fromDocument(document);
    case 'KMeans':
      return KMeans.fromDocument(document);
    case 'KMeansModel':
      return KMeansModel.fromDocument(document);
    case 'ClusteringEvaluator':
      return ClusteringEvaluator.fromDocument(document);
    case 'Pipeline':
      return new Pipeline({ stages: nestedStages(document) as (Transformer | Estimator)[] }, document.uid);
    case 'PipelineModel':
      return new PipelineModel(nestedStages(document) as Model[], document.uid);
    case 'CrossValidator':
      return CrossValidator.fromDocument(document, stageFromDocument);
    case 'CrossValidatorModel':
      return CrossValidatorModel.fromDocument(document, stageFromDocument);
    default:
      throw new InputError(`invalid saved stage: unknown class "${document.class}"`);
  }
}

function nestedStages(document: StageDocument): (Transformer | Estimator | ClusteringEvaluator)[] {
  const stages = document.data?.stages;
  if (!Array.isArray(stages)) throw new InputError(`invalid saved ${document.class}: data.stages is missing`);
  return (stages as StageDocument[]).map(stageFromDocument);
}
