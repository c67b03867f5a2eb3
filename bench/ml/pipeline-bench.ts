/**
 * Benchmark of the Spark ML pipeline kernels against scikit-learn and PySpark
 * on the same data, from the same initial centres, in the same run.
 *
 * Data: the 36-artist file's nine default features, standardised, resampled
 * with replacement to N rows (seeded) with independent N(0, 0.05²) jitter
 * added to every value, so copies of a track are near but not equal. The 20
 * initial centres are 20 rows drawn from that data; the silhouette labels are
 * each row's nearest initial centre.
 *
 * For each size: grooviest (bench/ml/ours-run.ts), scikit-learn and PySpark
 * (bench/ml/reference.py) each run in their own process, one after another
 * on the same machine, and write to bench/ml/results/pipeline-bench.json and
 * the "Spark ML pipeline" section of BENCHMARKS.md.
 *
 * grooviest and scikit-learn run `--repetitions` times (default 5),
 * alternating, each time in a fresh process; their times are the medians.
 * PySpark runs once.
 *
 * Usage: node dist/bench/ml/pipeline-bench.js [--sizes 10000,20000,100000,1000000] [--spark-max N] [--repetitions N] [--render-only]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { StandardScaler } from '../../src/ml/feature/standard-scaler.js';
import { VectorAssembler } from '../../src/ml/feature/vector-assembler.js';
import { nearestCenter } from '../../src/ml/clustering/distance-measure.js';
import { tableFromDataset } from '../../src/ml/table.js';
import { RandomGenerator } from '../../src/random.js';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { discographiesDataset } from '../../test/support/discographies.js';
import { referencePython, referenceScriptEnv } from '../../test/support/reference-env.js';
import { repoRoot } from '../../test/support/shared-data.js';
import { writeBenchmarkBlock } from './benchmarks-md.js';
import { waitForQuietMachine } from '../workflow/quiet-machine.js';

const D = 9;
const K = 20;
const JITTER = 0.05;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const sizes = option('--sizes', '10000,20000,100000,1000000').split(',').map(Number);
const sparkMax = Number(option('--spark-max', '1000000'));
const repetitions = Number(option('--repetitions', '5'));
const dir = join(tmpdir(), `grooviest-bench-ml-${process.pid}`);

const dataset = discographiesDataset();
const assembled = new VectorAssembler({ inputCols: dataset.columns }).transform(tableFromDataset(dataset));
const base = new StandardScaler({ withMean: true, withStd: true }).fit(assembled).transform(assembled).vector('scaled_features').values;
const baseRows = base.length / D;

function writeData(n: number): void {
  const random = new RandomGenerator(n);
  const x = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const source = random.nextInt(baseRows);
    for (let j = 0; j < D; j++) x[i * D + j] = base[source * D + j] + JITTER * random.nextNormal();
  }
  const centers = new Float64Array(K * D);
  for (let c = 0; c < K; c++) {
    const row = random.nextInt(n);
    centers.set(x.subarray(row * D, row * D + D), c * D);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = nearestCenter(x, i, centers, K, D);
  writeFileSync(join(dir, `X-${n}.f64`), new Uint8Array(x.buffer));
  writeFileSync(join(dir, `C-${n}.f64`), new Uint8Array(centers.buffer));
  writeFileSync(join(dir, `L-${n}.i32`), new Uint8Array(labels.buffer));
}

function runJson(command: string, args: string[], env?: NodeJS.ProcessEnv): Record<string, unknown> {
  const output = execFileSync(command, args, { env: env ?? process.env, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/**
 * Returns the first run with each time (a `…Seconds` field) replaced by its
 * median over the runs, the times of every run under `runs`, and the largest peak memory.
 */
function medianOfRuns(runs: Record<string, unknown>[]): Record<string, unknown> {
  const result: Record<string, unknown> = { ...runs[0] };
  const all: Record<string, number[]> = {};
  for (const key of Object.keys(runs[0]).filter((name) => name.endsWith('Seconds'))) {
    const times = runs.map((run) => run[key] as number);
    const sorted = [...times].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    result[key] = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    all[key] = times;
  }
  result.runs = all;
  result.peakMemoryMB = Math.max(...runs.map((run) => run.peakMemoryMB as number));
  return result;
}

function maxCenterDifference(a: unknown, b: unknown): number {
  const left = (a as number[][]).flat();
  const right = (b as number[][]).flat();
  return left.reduce((max, value, index) => Math.max(max, Math.abs(value - right[index])), 0);
}

const resultsPath = join(repoRoot, 'bench', 'ml', 'results', 'pipeline-bench.json');
let machine: string;
let results: Record<string, unknown>[] = [];
let recordedRepetitions = repetitions;
if (process.argv.includes('--render-only')) {
  // Rewrite the BENCHMARKS.md block from the last recorded run.
  const recorded = JSON.parse(readFileSync(resultsPath, 'utf8')) as { machine: string; repetitions?: number; results: Record<string, unknown>[] };
  machine = recorded.machine;
  results = recorded.results;
  recordedRepetitions = recorded.repetitions ?? 1;
} else {
  mkdirSync(dir, { recursive: true });
  for (const n of sizes) {
    writeData(n);
    const oursRuns: Record<string, unknown>[] = [];
    const sklearnRuns: Record<string, unknown>[] = [];
    // Each timed process starts once the cores are idle, so it does not share them with the last one's exit.
    for (let repetition = 0; repetition < repetitions; repetition++) {
      await waitForQuietMachine();
      oursRuns.push(runJson(process.execPath, ['--max-old-space-size=8192', join(repoRoot, 'dist', 'bench', 'ml', 'ours-run.js'), dir, String(n)]));
      await waitForQuietMachine();
      sklearnRuns.push(runJson(referencePython, [join(repoRoot, 'bench', 'ml', 'reference.py'), dir, String(n), 'sklearn'], referenceScriptEnv()));
    }
    const ours = medianOfRuns(oursRuns);
    const sklearn = medianOfRuns(sklearnRuns);
    if (n <= sparkMax) await waitForQuietMachine();
    const spark = n <= sparkMax ? runJson(referencePython, [join(repoRoot, 'bench', 'ml', 'reference.py'), dir, String(n), 'spark'], referenceScriptEnv()) : undefined;
    const entry = {
      n,
      ours,
      sklearn,
      spark,
      centersVsSklearn: maxCenterDifference(ours.centers, sklearn.centers),
      centersVsSpark: spark ? maxCenterDifference(ours.centers, spark.centers) : undefined,
    };
    for (const part of [ours, sklearn, spark]) if (part) delete part.centers;
    results.push(entry);
    process.stderr.write(`${JSON.stringify(entry)}\n`);
    rmSync(join(dir, `X-${n}.f64`));
  }
  rmSync(dir, { recursive: true, force: true });

  machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end of the run`;
  await writeFileAtomic(resultsPath, JSON.stringify({ machine, jitter: JITTER, k: K, repetitions, results }, null, 1) + '\n');
}

const seconds = (value: unknown) => (typeof value === 'number' ? `${value < 0.1 ? (value * 1000).toFixed(1) + ' ms' : value.toFixed(2) + ' s'}` : '–');
const ratio = (theirs: unknown, ours: unknown) => (typeof theirs === 'number' && typeof ours === 'number' ? `${(theirs / ours).toFixed(1)}×` : '–');
const megabytes = (value: unknown) => (typeof value === 'number' ? `${value.toFixed(0)} MB` : '–');
const rows: string[] = [];
for (const { n, ours, sklearn, spark, centersVsSklearn, centersVsSpark } of results as {
  n: number;
  ours: Record<string, number>;
  sklearn: Record<string, number>;
  spark?: Record<string, number>;
  centersVsSklearn: number;
  centersVsSpark?: number;
}[]) {
  const size = n.toLocaleString('en-US');
  if (n !== 20000) {
    rows.push(`| KMeans vs scikit-learn | ${size} | ${seconds(ours.kmeansSeconds)} (${ours.numIter} it, ${seconds(ours.kmeansSeconds / ours.numIter)}/it) | ${seconds(sklearn.kmeansSeconds)} (${sklearn.numIter} it, ${seconds(sklearn.kmeansSeconds / sklearn.numIter)}/it) | ${ratio(sklearn.kmeansSeconds / sklearn.numIter, ours.kmeansSeconds / ours.numIter)} per it | ${megabytes(ours.peakMemoryMB)} / ${megabytes(sklearn.peakMemoryMB)} | max centre difference ${centersVsSklearn.toExponential(1)} |`);
    if (spark) {
      rows.push(`| KMeans vs PySpark | ${size} | ${seconds(ours.kmeansSeconds)} (${ours.numIter} it) | ${seconds(spark.kmeansSeconds)} (20 it max) | ${ratio(spark.kmeansSeconds, ours.kmeansSeconds)} total | ${megabytes(ours.peakMemoryMB)} / ${megabytes(spark.peakMemoryMB)} (JVM ${megabytes(spark.jvmPeakMemoryMB)}) | max centre difference ${centersVsSpark!.toExponential(1)} |`);
      rows.push(`| silhouette vs PySpark | ${size} | ${seconds(ours.silhouetteSeconds)} | ${seconds(spark.silhouetteSeconds)} | ${ratio(spark.silhouetteSeconds, ours.silhouetteSeconds)} | ${megabytes(ours.peakMemoryMB)} / ${megabytes(spark.peakMemoryMB)} | values differ by ${Math.abs(ours.silhouette - spark.silhouette).toExponential(1)} |`);
    }
  }
  if (typeof sklearn.exactSilhouette === 'number') {
    rows.push(`| exact silhouette vs scikit-learn | ${size} | ${seconds(ours.exactSilhouetteSeconds)} | ${seconds(sklearn.exactSilhouetteSeconds)} | ${ratio(sklearn.exactSilhouetteSeconds, ours.exactSilhouetteSeconds)} | ${megabytes(ours.peakMemoryMB)} / ${megabytes(sklearn.peakMemoryMB)} | values differ by ${Math.abs(ours.exactSilhouette - sklearn.exactSilhouette).toExponential(1)} |`);
  }
}

/** Returns a sentence on how far the KMeans times of single runs spread at the largest size. */
function spreadNote(): string {
  const largest = results[results.length - 1] as { n: number; ours: { runs?: Record<string, number[]> }; sklearn: { runs?: Record<string, number[]> } } | undefined;
  const oursRuns = largest?.ours.runs?.kmeansSeconds;
  const sklearnRuns = largest?.sklearn.runs?.kmeansSeconds;
  if (!largest || !oursRuns || !sklearnRuns) return '';
  const range = (times: number[]) => `${seconds(Math.min(...times))} – ${seconds(Math.max(...times))}`;
  return `At ${largest.n.toLocaleString('en-US')} rows the single KMeans runs took ${range(oursRuns)} (grooviest) and ${range(sklearnRuns)} (scikit-learn).`;
}

const markdown = `### Kernels vs scikit-learn and PySpark

Machine: ${machine}. grooviest's kernels are WebAssembly (SIMD) and its
Lloyd loop and silhouette use a thread per core from 50,000 rows (the
thread start-up is inside the times: each size runs in a fresh process); scikit-learn uses its
OpenMP threads; PySpark runs \`local[2]\` with 2 partitions. A load average
above the number of cores means other jobs shared the machine and the times
are noisy. k = ${K}, 9
features. Data: the 36-artist file standardised, resampled with replacement
to n rows with N(0, ${JITTER}²) jitter on every value; KMeans starts every tool
from the same 20 rows (scikit-learn \`init=\` array, PySpark
\`pyspark.mllib\` \`KMeans.train(initialModel=…)\`), maxIter 20, tol 0; the
silhouettes score each row's nearest initial centre. PySpark's KMeans time
includes handing the cached Python RDD to the JVM. Peak memory is the
maximum resident set of each process (for PySpark, Python + the JVM).
grooviest and scikit-learn times are medians of ${recordedRepetitions} runs per size, alternating,
each in a fresh process that starts once the cores are idle; PySpark runs once.
${spreadNote()}

| benchmark | rows | grooviest | reference | speed-up | peak memory (ours / reference) | agreement |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Reproduce: \`npx tsc -p . && node dist/bench/ml/pipeline-bench.js\` (sizes with \`--sizes\`, PySpark up to \`--spark-max\` rows, runs per size with \`--repetitions\`).`;
await writeBenchmarkBlock('ml-pipeline-bench', markdown);
process.stdout.write(markdown + '\n');
