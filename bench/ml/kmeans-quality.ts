/**
 * KMeans quality study: grooviest's KMeans against Spark ML's on the same
 * data, over the same seeds (0..99 by default) for k = 3, 8 and 15.
 *
 * Data: the 36-artist file's nine default features, standardised
 * (withMean, withStd). Spark's costs come from reference/ml/kmeans-quality.py
 * (fixture test/fixtures/ml/kmeans-quality-spark.json). Random draws differ
 * between the two, so the study compares distributions.
 *
 * Test stated in advance: for each k, the relative difference of median
 * training costs r = (median_ours − median_Spark) / median_Spark, with a
 * percentile bootstrap 95% interval (10,000 resamples of each group,
 * seeded); grooviest is non-inferior when the interval's upper bound is
 * below +1%. The first study used 20 seeds per k; at k = 8 its interval was
 * ±1.3% wide around a +0.15% difference, too wide to decide, so the study now
 * uses 100 seeds. A fit is degenerate when it has fewer than k centres or an empty
 * cluster; none is allowed.
 *
 * Usage: node dist/bench/ml/kmeans-quality.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KMeans, type KMeansModel } from '../../src/ml/clustering/kmeans.js';
import { StandardScaler } from '../../src/ml/feature/standard-scaler.js';
import { VectorAssembler } from '../../src/ml/feature/vector-assembler.js';
import { tableFromDataset } from '../../src/ml/table.js';
import { RandomGenerator } from '../../src/random.js';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { discographiesDataset } from '../../test/support/discographies.js';
import { repoRoot } from '../../test/support/shared-data.js';
import { writeBenchmarkBlock } from './benchmarks-md.js';

const KS = [3, 8, 15];
const RESAMPLES = 10000;
const MARGIN = 0.01;

interface SparkFit {
  k: number;
  seed: number;
  trainingCost: number;
  numCenters: number;
  clusterSizes: number[];
  seconds: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function resample(values: number[], random: RandomGenerator): number[] {
  return values.map(() => values[random.nextInt(values.length)]);
}

/** Percentile bootstrap interval of (median(ours) − median(theirs)) / median(theirs). */
function bootstrapInterval(ours: number[], theirs: number[], random: RandomGenerator): [number, number] {
  const draws: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    const spark = median(resample(theirs, random));
    draws.push((median(resample(ours, random)) - spark) / spark);
  }
  draws.sort((a, b) => a - b);
  return [draws[Math.floor(0.025 * RESAMPLES)], draws[Math.ceil(0.975 * RESAMPLES) - 1]];
}

const spark = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ml', 'kmeans-quality-spark.json'), 'utf8')) as { pyspark: string; seeds: number; fits: SparkFit[] };
const SEEDS = Array.from({ length: spark.seeds }, (_, i) => i);
const dataset = discographiesDataset();
const assembled = new VectorAssembler({ inputCols: dataset.columns }).transform(tableFromDataset(dataset));
const scaled = new StandardScaler({ withMean: true, withStd: true }).fit(assembled).transform(assembled);

const random = new RandomGenerator(20261204);
const rows: string[] = [];
const results: unknown[] = [];
let allPass = true;
let optimumNote = '';
for (const k of KS) {
  const ourCosts: number[] = [];
  let degenerate = 0;
  const started = performance.now();
  for (const seed of SEEDS) {
    const model: KMeansModel = new KMeans({ k, seed, featuresCol: 'scaled_features' }).fit(scaled);
    ourCosts.push(model.trainingCost);
    if (model.summary.numCenters < k || model.summary.clusterSizes.some((size) => size === 0)) degenerate += 1;
  }
  const ourSeconds = (performance.now() - started) / 1000 / SEEDS.length;
  const sparkFits = spark.fits.filter((fit) => fit.k === k);
  const sparkCosts = sparkFits.map((fit) => fit.trainingCost);
  const sparkDegenerate = sparkFits.filter((fit) => fit.numCenters < k || fit.clusterSizes.some((size) => size === 0)).length;
  const sparkSeconds = sparkFits.reduce((sum, fit) => sum + fit.seconds, 0) / sparkFits.length;
  const difference = (median(ourCosts) - median(sparkCosts)) / median(sparkCosts);
  const [low, high] = bootstrapInterval(ourCosts, sparkCosts, random);
  const pass = high < MARGIN && degenerate === 0;
  allPass &&= pass;
  results.push({ k, ourCosts, sparkCosts, difference, interval: [low, high], degenerate, sparkDegenerate, ourSeconds, sparkSeconds, pass });
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  if (k === 3) {
    // The k = 3 costs gather at a few local optima; the share of fits at our median's optimum shows how the two sides differ.
    const optimum = median(ourCosts);
    const near = (costs: number[]) => costs.filter((cost) => Math.abs(cost - optimum) <= 0.001 * optimum).length;
    optimumNote =
      `NOTE: at k = 3 the difference comes from how often each side ends in the local optimum at ${optimum.toFixed(0)}: ` +
      `${near(ourCosts)} of our ${ourCosts.length} fits against ${near(sparkCosts)} of Spark's ${sparkCosts.length} (within 0.1%). ` +
      'Its cause is not found. Both sides read the rows in file order (Spark in one partition), and the local k-means++ step ' +
      'draws the same java.util.Random(0) sequence as Spark; the only difference left that we know of is the random streams of the k-means|| sampling.';
  }
  rows.push(
    `| ${k} | ${median(ourCosts).toFixed(1)} | ${median(sparkCosts).toFixed(1)} | ${percent(difference)} | [${percent(low)}, ${percent(high)}] | ${degenerate} / ${sparkDegenerate} | ${(ourSeconds * 1000).toFixed(0)} ms / ${(sparkSeconds * 1000).toFixed(0)} ms | ${pass ? 'pass' : 'FAIL'} |`,
  );
}

await writeFileAtomic(join(repoRoot, 'bench', 'ml', 'results', 'kmeans-quality.json'), JSON.stringify({ pyspark: spark.pyspark, seeds: SEEDS, resamples: RESAMPLES, margin: MARGIN, results }, null, 1) + '\n');
const markdown = `### KMeans quality (grooviest vs Spark ML ${spark.pyspark})

36-artist file, nine default features standardised, ${SEEDS.length} seeds per k (0..${SEEDS.length - 1}), default
params (k-means||, maxIter 20, tol 1e-4). Test stated before the run: the
upper bound of a percentile bootstrap 95% interval (${RESAMPLES.toLocaleString('en-US')} resamples) of
(median cost ours − median cost Spark) / median cost Spark must be below
+1%, with no degenerate fit (fewer than k centres or an empty cluster).
A first run with 20 seeds passed at k = 3 and 15 but could not decide k = 8
(interval [−1.26%, +1.30%] around +0.15%), so the seed count was raised.
Overall: **${allPass ? 'pass' : 'FAIL'}**.

| k | median cost (ours) | median cost (Spark) | difference | 95% interval | degenerate (ours / Spark) | time per fit (ours / Spark) | verdict |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${optimumNote}

Reproduce: \`PYTHONHASHSEED=0 .venv-reference/bin/python reference/ml/kmeans-quality.py <discographies csv> test/fixtures/ml/kmeans-quality-spark.json\`,
then \`npx tsc -p . && node dist/bench/ml/kmeans-quality.js\`. Spark's time per fit includes its job overheads in local[2].`;
await writeBenchmarkBlock('ml-kmeans-quality', markdown);
process.stdout.write(markdown + '\n');
