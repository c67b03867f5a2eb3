import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestCenter, squaredDistance } from '../../../src/ml/clustering/distance-measure.js';
import { kernelThreads } from '../../../src/ml/kernels/threads.js';
import { kernels, withKernels } from '../../../src/ml/kernels/wasm.js';
import { RandomGenerator } from '../../../src/random.js';

function randomRows(n: number, d: number, seed: number): Float64Array {
  const random = new RandomGenerator(seed);
  const rows = new Float64Array(n * d);
  for (let i = 0; i < rows.length; i++) rows[i] = random.nextNormal();
  return rows;
}

test('nearestCenters matches a plain scan', () => {
  for (const d of [1, 2, 3, 9, 10]) {
    for (const k of [1, 2, 3, 4, 5, 7, 8, 13]) {
      const n = 500;
      const points = randomRows(n, d, d * 100 + k);
      const centers = randomRows(k, d, d * 1000 + k);
      const { clusters, distances } = withKernels((kernel) => {
        const pointsAt = kernel.copyF64(points);
        const centersAt = kernel.copyF64(centers);
        const clustersAt = kernel.allocateI32(n);
        const distancesAt = kernel.allocateF64(n);
        kernel.functions.nearestCenters(pointsAt, 0, n, d, centersAt, k, clustersAt, distancesAt);
        return { clusters: Int32Array.from(kernel.i32(clustersAt, n)), distances: Float64Array.from(kernel.f64(distancesAt, n)) };
      });
      for (let i = 0; i < n; i++) {
        assert.equal(clusters[i], nearestCenter(points, i, centers, k, d), `row ${i}, d ${d}, k ${k}`);
        const exact = squaredDistance(points, i, centers, clusters[i], d);
        assert.ok(Math.abs(distances[i] - exact) <= 1e-13 * Math.max(1, exact), `distance of row ${i}: ${distances[i]} vs ${exact}`);
      }
    }
  }
});

test('nearestCenters sends a tie to the lowest index', () => {
  const centers = Float64Array.from([1, 0, -1, 0, 0, 1, 1, 0, 0, -1]);
  const cluster = withKernels((kernel) => {
    const pointsAt = kernel.copyF64(Float64Array.from([0, 0]));
    const centersAt = kernel.copyF64(centers);
    const clustersAt = kernel.allocateI32(1);
    kernel.functions.nearestCenters(pointsAt, 0, 1, 2, centersAt, 5, clustersAt, 0);
    return kernel.i32(clustersAt, 1)[0];
  });
  assert.equal(cluster, 0);
});

test('kernel memory grows for large arrays and is handed back', () => {
  const kernel = kernels();
  const before = kernel.mark();
  const values = new Float64Array(3_000_000).map((_, i) => i);
  withKernels((inner) => {
    const at = inner.copyF64(values);
    assert.equal(inner.f64(at, values.length)[2_999_999], 2_999_999);
  });
  assert.equal(kernel.mark(), before);
});

test('an allocation beyond 4 GiB names the memory needed', () => {
  assert.throws(() => withKernels((kernel) => kernel.allocate(2 ** 32)), { name: 'JobError', message: /out of kernel memory: 4096 MiB needed/ });
});

test('kernel thread failure raises in the caller', () => {
  const pool = kernelThreads(2);
  assert.ok(pool, 'the kernel threads did not start');
  const outOfBounds = 2 ** 31;
  const failing = [[], [{ name: 'assignedCost' as const, args: [outOfBounds, 0, 0, 10, 9, outOfBounds, outOfBounds] }]];
  assert.throws(() => pool.run(failing, kernels().functions), { name: 'JobError', message: /a kernel thread failed/ });
  // The pool still runs jobs afterwards.
  assert.doesNotThrow(() => pool.run([[], []], kernels().functions));
});
