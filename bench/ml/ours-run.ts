/**
 * Times grooviest on one benchmark data size in a fresh process (so its
 * peak memory is its own): Lloyd from the given centres (maxIter 20, tol 0),
 * Spark's squared-Euclidean silhouette, and for n ≤ 20,000 the exact one.
 *
 * Usage: node dist/bench/ml/ours-run.js DATA_DIR N   (prints one JSON object)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLloyd } from '../../src/ml/clustering/lloyd.js';
import { ClusteringEvaluator } from '../../src/ml/evaluation/clustering-evaluator.js';
import { Table } from '../../src/ml/table.js';

const D = 9;
const [dir, size] = process.argv.slice(2);
const n = Number(size);

function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
}

const x = readF64(join(dir, `X-${n}.f64`));
const centers = readF64(join(dir, `C-${n}.f64`));
const labelBytes = readFileSync(join(dir, `L-${n}.i32`));
const labels = new Int32Array(labelBytes.buffer, labelBytes.byteOffset, labelBytes.byteLength / 4).slice();

let started = performance.now();
const fit = runLloyd({ points: x, n, d: D, centers, k: centers.length / D, maxIter: 20, tol: 0, measure: 'euclidean' });
const kmeansSeconds = (performance.now() - started) / 1000;

const table = new Table(n, new Array<string>(n).fill(''), [
  ['features', { type: 'vector', size: D, values: x }],
  ['prediction', { type: 'int', values: labels }],
]);
started = performance.now();
const silhouette = new ClusteringEvaluator().evaluate(table);
const silhouetteSeconds = (performance.now() - started) / 1000;

const result: Record<string, unknown> = { kmeansSeconds, numIter: fit.numIter, centers: Array.from({ length: centers.length / D }, (_, c) => [...fit.centers.subarray(c * D, c * D + D)]), silhouette, silhouetteSeconds };
if (n <= 20000) {
  started = performance.now();
  result.exactSilhouette = new ClusteringEvaluator({ distanceMeasure: 'euclidean' }).evaluate(table);
  result.exactSilhouetteSeconds = (performance.now() - started) / 1000;
}
result.peakMemoryMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(result) + '\n');
