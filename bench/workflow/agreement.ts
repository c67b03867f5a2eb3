/**
 * Agreement of grooviest with the PySpark workflow, measured on the same data:
 *
 * 1. PySpark's final scaled features and predictions (exported by
 *    `reference_workflow.py --export-predictions`) go through grooviest's
 *    ClusteringEvaluator; the silhouette must equal PySpark's to 1e-9.
 * 2. The k objective table: the mean 3-fold silhouette for every k in 3..19
 *    on the same rows and folds (the fold column written by
 *    objective_table.py). Each side runs several KMeans seeds per k, which
 *    shows the spread that KMeans' random initialisation explains.
 *
 * Writes bench/workflow/results/agreement.json and agreement.md (included in
 * the BENCHMARKS.md section by `bench.js --markdown-only`).
 *
 * Usage: node dist/bench/workflow/agreement.js WORK_DIR [--seeds 42,7,2026,1,2,…]
 *   WORK_DIR holds pyspark-predictions.csv, pyspark-final.json and folds.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { KMeans } from '../../src/ml/clustering/kmeans.js';
import { ClusteringEvaluator } from '../../src/ml/evaluation/clustering-evaluator.js';
import { buildPipeline } from '../../src/ml/objective.js';
import { Table, tableFromDataset } from '../../src/ml/table.js';
import { CrossValidator } from '../../src/ml/tuning/cross-validator.js';
import { repoRoot } from '../../test/support/shared-data.js';

/** grooviest's KMeans seeds: 30, since its side is cheap to run, which narrows the allowance. */
const SEEDS = [42, 7, 2026, 1, 2, 3, 4, 5, 6, 8, 9, 10, ...Array.from({ length: 18 }, (_, i) => 18 + i)].join(',');

interface NumericCsv {
  header: string[];
  rows: number[][];
}

function readNumericCsv(path: string): NumericCsv {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((line) => line.split(',').map(Number)) };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const sampleStd = (values: number[]) => {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / Math.max(1, values.length - 1));
};

/** Silhouette of PySpark's final predictions by grooviest's evaluator. */
function evaluatorAgreement(workDir: string): { rows: number; pyspark: number; grooviest: number; difference: number } {
  const csv = readNumericCsv(join(workDir, 'pyspark-predictions.csv'));
  const d = csv.header.length - 1;
  const n = csv.rows.length;
  const features = new Float64Array(n * d);
  const labels = new Int32Array(n);
  csv.rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) features[i * d + j] = row[j];
    labels[i] = row[d];
  });
  const table = new Table(n, Array.from({ length: n }, (_, i) => String(i)), [
    ['scaled_features', { type: 'vector', size: d, values: features }],
    ['prediction', { type: 'int', values: labels }],
  ]);
  const grooviest = new ClusteringEvaluator({ featuresCol: 'scaled_features' }).evaluate(table);
  const pyspark = (JSON.parse(readFileSync(join(workDir, 'pyspark-final.json'), 'utf8').trim().split('\n').pop()!) as { final_silhouette: number }).final_silhouette;
  return { rows: n, pyspark, grooviest, difference: Math.abs(grooviest - pyspark) };
}

/** grooviest's objective for every k and seed, on the given rows and folds. */
function grooviestTable(workDir: string, kValues: number[], seeds: number[]): Record<string, Record<string, number>> {
  const csv = readNumericCsv(join(workDir, 'folds.csv'));
  const columns = csv.header.slice(0, -1);
  const d = columns.length;
  const X = new Float64Array(csv.rows.length * d);
  const folds = new Int32Array(csv.rows.length);
  csv.rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = row[j];
    folds[i] = row[d];
  });
  const table = tableFromDataset({ columns, X, rowKeys: csv.rows.map((_, i) => String(i)) });
  const result: Record<string, Record<string, number>> = {};
  for (const k of kValues) {
    result[k] = {};
    for (const seed of seeds) {
      const pipeline = buildPipeline(columns, { kmeansSeed: seed });
      const kmeans = pipeline.stages[2] as KMeans;
      const validator = new CrossValidator({
        estimator: pipeline,
        estimatorParamMaps: [[{ uid: kmeans.uid, param: 'k', value: k }]],
        evaluator: new ClusteringEvaluator({ featuresCol: 'scaled_features' }),
        numFolds: 3,
      });
      result[k][seed] = validator.crossValidate(table, {}, folds).avgMetrics[0];
    }
  }
  return result;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seeds: { type: 'string', default: SEEDS } } });
  const workDir = positionals[0] ?? '/tmp/workflow-agreement';
  const resultsDir = join(repoRoot, 'bench', 'workflow', 'results');
  const spark = JSON.parse(readFileSync(join(resultsDir, 'objective-table-pyspark.json'), 'utf8')) as { rows: number; seeds: number[]; k: Record<string, Record<string, number>> };
  const kValues = Object.keys(spark.k).map(Number).filter((k) => Object.keys(spark.k[k]).length >= 2);
  const seeds = values.seeds!.split(',').map(Number);

  const evaluator = evaluatorAgreement(workDir);
  const ours = grooviestTable(workDir, kValues, seeds);

  const rows = kValues.map((k) => {
    const g = Object.values(ours[k]);
    const s = Object.values(spark.k[k]);
    const difference = mean(g) - mean(s);
    // Two standard errors of the difference of means, from each side's seed-to-seed spread.
    const allowance = 2 * Math.sqrt(sampleStd(g) ** 2 / g.length + sampleStd(s) ** 2 / s.length);
    const overlap = Math.min(...g) <= Math.max(...s) && Math.min(...s) <= Math.max(...g);
    return { k, grooviest: { mean: mean(g), min: Math.min(...g), max: Math.max(...g), std: sampleStd(g) }, pyspark: { mean: mean(s), min: Math.min(...s), max: Math.max(...s), std: sampleStd(s) }, difference, allowance, overlap };
  });
  const differences = rows.map((row) => row.difference);
  // Pooled over k: is the mean difference larger than the seed spread explains (two standard errors)?
  const pooledError = Math.sqrt(rows.reduce((sum, row) => sum + (row.allowance / 2) ** 2, 0)) / rows.length;
  const pooledZ = mean(differences) / pooledError;
  const bestOurs = rows.reduce((best, row) => (row.grooviest.mean > best.grooviest.mean ? row : best));
  const bestSpark = rows.reduce((best, row) => (row.pyspark.mean > best.pyspark.mean ? row : best));
  const document = { evaluator, pooled: { meanDifference: mean(differences), standardError: pooledError, z: pooledZ }, seeds: { grooviest: seeds, pyspark: spark.seeds }, rows: spark.rows, table: rows };
  await writeFileAtomic(join(resultsDir, 'agreement.json'), JSON.stringify(document, null, 2) + '\n');

  const f = (value: number) => value.toFixed(4);
  const markdown = [
    '### Agreement with PySpark',
    '',
    `PySpark's final model (36-artist file, ${evaluator.rows} rows): its scaled features and predictions, exported from the reference run, ` +
      `scored by grooviest's ClusteringEvaluator: ${evaluator.grooviest.toPrecision(15)} vs PySpark's ${evaluator.pyspark.toPrecision(15)}, ` +
      `difference ${evaluator.difference.toExponential(2)} (${evaluator.difference <= 1e-9 ? 'within' : 'OUTSIDE'} 1e-9).`,
    '',
    `Objective table: mean 3-fold silhouette for every k, the same ${spark.rows} rows in the same folds (a fold column drawn once with NumPy, seed 42, ` +
      `passed to PySpark's \`CrossValidator(foldCol='fold')\` and to grooviest's CrossValidator), KMeans seeds ${spark.seeds.join(', ')} on PySpark ` +
      `and ${seeds.join(', ')} on grooviest (the two tools' random streams differ, so equal seeds do not mean equal draws). ` +
      'Allowance = two standard errors of the difference of the means, from each side\'s seed-to-seed spread.',
    '',
    '| k | grooviest mean [min, max] | PySpark mean [min, max] | grooviest − PySpark | allowance | ranges overlap |',
    '|---:|---|---|---:|---:|---|',
    ...rows.map((row) =>
      `| ${row.k} | ${f(row.grooviest.mean)} [${f(row.grooviest.min)}, ${f(row.grooviest.max)}] | ${f(row.pyspark.mean)} [${f(row.pyspark.min)}, ${f(row.pyspark.max)}] | ${row.difference.toFixed(4)} | ${row.allowance.toFixed(4)} | ${row.overlap ? 'yes' : 'no'} |`),
    '',
    `Differences within the allowance: ${rows.filter((row) => Math.abs(row.difference) <= row.allowance).length} of ${rows.length}; ranges overlap: ${rows.filter((row) => row.overlap).length} of ${rows.length}. ` +
      `Mean difference over k ${mean(differences).toFixed(4)} ± ${(2 * pooledError).toFixed(4)} (two standard errors; z = ${pooledZ.toFixed(2)}), ` +
      `grooviest higher at ${differences.filter((value) => value > 0).length} of ${rows.length} k: ` +
      `${Math.abs(pooledZ) > 2 ? 'a systematic difference larger than the seed spread explains' : 'no systematic difference beyond the seed spread'}. ` +
      `Best k by mean: grooviest ${bestOurs.k}, PySpark ${bestSpark.k}.`,
    '',
    'Found and fixed: an earlier grooviest differed systematically on this table (+0.0025 ± 0.0017, z = 2.85, higher at 13 of 17 k, ' +
      'with the same 30 seeds). The last step of k-means|| is a local weighted k-means++ that Spark runs with java.util.Random(0) in ' +
      'every fit, whatever the KMeans seed, so its draws are the same fixed sequence each time; grooviest used its own generator with ' +
      'seed 0, another fixed sequence. Fixed draws favour the same candidates in every fit, so each sequence finds some local optima ' +
      'more often than the other. grooviest now draws java.util.Random\'s sequence there (src/ml/clustering/java-random.ts).',
    '',
    ...(Math.abs(pooledZ) > 2
      ? [
          'NOTE: the cause of the pooled difference is not found yet. The evaluator agrees exactly on the same predictions, and the folds, ' +
            'rows and scaling are shared, so it lies in KMeans (k-means|| initialisation or the Lloyd loop) finding different local optima ' +
            `with different frequencies. With ${spark.seeds.length} PySpark seeds per k the standard errors are rough; ` +
            'adding seeds (objective_table.py extends its table) narrows them.',
          '',
        ]
      : []),
    'Reproduce (from the repository root; WORK holds files derived from the data and is not committed):',
    '',
    '```',
    'WORK=/tmp/workflow-agreement; mkdir -p $WORK',
    'PYTHONHASHSEED=0 .venv-reference/bin/python bench/workflow/reference_workflow.py --input ../shared/data/discographies-36-artists.csv --export-predictions $WORK/pyspark-predictions.csv > $WORK/pyspark-final.json',
    'PYTHONHASHSEED=0 .venv-reference/bin/python bench/workflow/objective_table.py ../shared/data/discographies-36-artists.csv $WORK/folds.csv bench/workflow/results/objective-table-pyspark.json',
    `PYTHONHASHSEED=0 .venv-reference/bin/python bench/workflow/objective_table.py ../shared/data/discographies-36-artists.csv $WORK/folds.csv bench/workflow/results/objective-table-pyspark.json --seeds ${spark.seeds.slice(3).join(',') || '11,12'}`,
    'npx tsc -p . && node dist/bench/workflow/agreement.js $WORK && node dist/bench/workflow/bench.js --markdown-only',
    '```',
  ].join('\n');
  await writeFileAtomic(join(resultsDir, 'agreement.md'), markdown + '\n');
  process.stdout.write(markdown + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
