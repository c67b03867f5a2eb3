/**
 * The final model: the pipeline refit with the best k on every track, its
 * predictions, the silhouette of the whole clustering, and the per-cluster
 * summaries the report shows.
 */
import type { Dataset } from '../contracts/dataset.js';
import type { KMeansModel } from '../ml/clustering/kmeans.js';
import { ClusteringEvaluator } from '../ml/evaluation/clustering-evaluator.js';
import { buildPipeline } from '../ml/objective.js';
import type { PipelineModel } from '../ml/pipeline.js';
import { tableFromDataset, type Table } from '../ml/table.js';
import { RandomGenerator, sampleWithoutReplacement } from '../random.js';
import { clusterLabel } from '../report/cluster-labels.js';
import { projectTo2d } from '../report/pca-projection.js';
import type { RunSettings } from './settings.js';

/** The refit model, its predictions and its silhouettes. */
export interface FinalModel {
  model: PipelineModel;
  kmeans: KMeansModel;
  /** Cluster of each dataset row. */
  predictions: Int32Array;
  /** Silhouette of each dataset row (squared Euclidean, Spark's formula). */
  silhouettes: Float64Array;
  /** Mean silhouette of the clustering, as Spark's ClusteringEvaluator computes it. */
  silhouette: number;
  /** Scaled feature rows (n × d, row-major), for the PCA view. */
  scaled: Float64Array;
}

/** Fits the pipeline with `k` on all rows and evaluates it. */
export function fitFinalModel(dataset: Dataset, k: number, settings: RunSettings): FinalModel {
  const table: Table = tableFromDataset(dataset);
  const model = buildPipeline(dataset.columns, { k, kmeansSeed: settings.kmeansSeed }).fit(table);
  const transformed = model.transform(table);
  const evaluator = new ClusteringEvaluator({ featuresCol: 'scaled_features', predictionCol: 'prediction' });
  return {
    model,
    kmeans: model.stage<KMeansModel>('KMeansModel')!,
    predictions: transformed.ints('prediction').values,
    silhouettes: evaluator.silhouettes(transformed),
    silhouette: evaluator.evaluate(transformed),
    scaled: transformed.vector('scaled_features').values,
  };
}

/** Returns `count` distinct row indices drawn at random, in table order (all rows when there are fewer). */
export function sampleRows(n: number, count: number, seed: number): Uint32Array {
  return sampleWithoutReplacement(n, count, new RandomGenerator(seed)).slice().sort();
}

/** Per-cluster size, mean silhouette, standardised centroid and plain label. */
export function summariseClusters(final: FinalModel, features: string[]): { cluster: number; size: number; meanSilhouette: number; centroid: number[]; label: string }[] {
  const k = final.kmeans.centers.length / final.kmeans.d;
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k);
  for (let i = 0; i < final.predictions.length; i++) {
    sizes[final.predictions[i]] += 1;
    sums[final.predictions[i]] += final.silhouettes[i];
  }
  const d = final.kmeans.d;
  return Array.from({ length: k }, (_, cluster) => {
    const centroid = Array.from(final.kmeans.centers.subarray(cluster * d, cluster * d + d));
    return { cluster, size: sizes[cluster], meanSilhouette: sizes[cluster] > 0 ? sums[cluster] / sizes[cluster] : 0, centroid, label: clusterLabel(centroid, features) };
  });
}

/** Projects the scaled rows onto two principal components and keeps a sample for the scatter plot. */
export function projectSample(final: FinalModel, d: number, sampleSize: number, seed: number) {
  const projection = projectTo2d(final.scaled, d);
  const rows = sampleRows(final.predictions.length, sampleSize, seed);
  return { projection, rows };
}
