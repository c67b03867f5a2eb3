import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KMeans } from '../../src/ml/clustering/kmeans.js';
import { ClusteringEvaluator } from '../../src/ml/evaluation/clustering-evaluator.js';
import { buildPipeline } from '../../src/ml/objective.js';
import { loadModel, loadStage, STAGE_FILE } from '../../src/ml/persistence.js';
import { PipelineModel } from '../../src/ml/pipeline.js';
import { CrossValidator, CrossValidatorModel } from '../../src/ml/tuning/cross-validator.js';
import { ParamGridBuilder } from '../../src/ml/tuning/param-grid-builder.js';
import { tableFromDataset } from '../../src/ml/table.js';
import { discographiesDataset } from '../support/discographies.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grooviest-ml-persistence-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('PipelineModel round trip predicts the same clusters', async () => {
  const table = tableFromDataset(discographiesDataset());
  const model = buildPipeline(discographiesDataset().columns, { k: 6 }).fit(table);
  await model.save(join(dir, 'pipeline'));
  const loaded = await loadModel(join(dir, 'pipeline'));
  assert.ok(loaded instanceof PipelineModel);
  assert.deepEqual([...loaded.transform(table).ints('prediction').values], [...model.transform(table).ints('prediction').values]);
});

test('saved stage records format, version and params', async () => {
  await new KMeans({ k: 7 }).save(join(dir, 'kmeans'));
  const file = JSON.parse(await readFile(join(dir, 'kmeans', STAGE_FILE), 'utf8'));
  assert.equal(file.format, 'grooviest.ml.stage');
  assert.equal(file.formatVersion, 1);
  assert.equal(file.stage.params.k, 7);
});

test('save refuses an existing stage without overwrite', async () => {
  await new ClusteringEvaluator().save(join(dir, 'evaluator'));
  await assert.rejects(new ClusteringEvaluator().save(join(dir, 'evaluator')), { message: /already contains a saved stage/ });
  await new ClusteringEvaluator({ distanceMeasure: 'cosine' }).save(join(dir, 'evaluator'), { overwrite: true });
  const loaded = (await loadStage(join(dir, 'evaluator'))) as ClusteringEvaluator;
  assert.equal(loaded.params.distanceMeasure, 'cosine');
});

test('load rejects a newer format version', async () => {
  await new KMeans().save(join(dir, 'future'));
  const path = join(dir, 'future', STAGE_FILE);
  const file = JSON.parse(await readFile(path, 'utf8'));
  file.formatVersion = 99;
  await writeFile(path, JSON.stringify(file));
  await assert.rejects(loadStage(join(dir, 'future')), { message: /formatVersion 99 is newer than 1/ });
});

test('loadModel rejects an estimator', async () => {
  await new KMeans().save(join(dir, 'estimator'));
  await assert.rejects(loadModel(join(dir, 'estimator')), { message: /contains a KMeans, not a model/ });
});

test('load of a missing directory names the path', async () => {
  await assert.rejects(loadStage(join(dir, 'nothing')), { message: /saved stage not found/ });
});

test('CrossValidatorModel round trip keeps metrics, fold models and predictions', async () => {
  const dataset = discographiesDataset();
  const table = tableFromDataset(dataset);
  const pipeline = buildPipeline(dataset.columns);
  const kmeans = pipeline.stages[2] as KMeans;
  const validator = new CrossValidator({
    estimator: pipeline,
    estimatorParamMaps: new ParamGridBuilder().addGrid(kmeans, 'k', [3, 4]).build(),
    evaluator: new ClusteringEvaluator({ featuresCol: 'scaled_features' }),
    collectSubModels: true,
  });
  const model = validator.fit(table);
  await model.save(join(dir, 'cv-model'));
  const loaded = await loadModel(join(dir, 'cv-model'));
  assert.ok(loaded instanceof CrossValidatorModel);
  assert.deepEqual(loaded.avgMetrics, model.avgMetrics);
  assert.deepEqual(loaded.foldMetrics, model.foldMetrics);
  assert.deepEqual(loaded.bestParamMap, model.bestParamMap);
  assert.equal(loaded.subModels?.length, 3);
  assert.deepEqual([...loaded.transform(table).ints('prediction').values], [...model.transform(table).ints('prediction').values]);

  await validator.save(join(dir, 'cv'));
  const estimator = await loadStage(join(dir, 'cv'));
  assert.ok(estimator instanceof CrossValidator);
  assert.deepEqual(estimator.fit(table).avgMetrics, model.avgMetrics);
});
