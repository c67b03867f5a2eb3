import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestCenter, squaredDistance } from '../../../src/ml/clustering/distance-measure.js';
import { KernelThreads, kernelThreads } from '../../../src/ml/kernels/threads.js';
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
        kernel.functions.nearestCenters(pointsAt, 0, n, d, centersAt, k, clustersAt, distancesAt, 0);
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
    kernel.functions.nearestCenters(pointsAt, 0, 1, 2, centersAt, 5, clustersAt, 0, 0);
    return kernel.i32(clustersAt, 1)[0];
  });
  assert.equal(cluster, 0);
});

/** Returns the nearest centres and distances of every row, with the centres screened or not. */
function nearestBoth(points: Float64Array, centers: Float64Array, d: number): { direct: [Int32Array, Float64Array]; screened: [Int32Array, Float64Array] } {
  const n = points.length / d;
  const k = centers.length / d;
  return withKernels((kernel) => {
    const pointsAt = kernel.copyF64(points);
    const centersAt = kernel.copyF64(centers);
    // Screened at any k here, below the size from which the kernels use it on their own.
    const screen = kernel.allocate(kernel.functions.screenBytes(k, d));
    kernel.functions.prepareScreen(centersAt, k, d, screen);
    const run = (screenAt: number): [Int32Array, Float64Array] => {
      const clustersAt = kernel.allocateI32(n);
      const distancesAt = kernel.allocateF64(n);
      kernel.functions.nearestCenters(pointsAt, 0, n, d, centersAt, k, clustersAt, distancesAt, screenAt);
      return [Int32Array.from(kernel.i32(clustersAt, n)), Float64Array.from(kernel.f64(distancesAt, n))];
    };
    return { direct: run(0), screened: run(screen) };
  });
}

test('screened nearestCenters equals direct distances', () => {
  for (const d of [1, 2, 3, 9, 10]) {
    for (const k of [1, 2, 3, 5, 8, 9, 13, 17, 20, 21, 36]) {
      const points = randomRows(400, d, d * 10 + k);
      const centers = randomRows(k, d, d * 7 + k);
      const { direct, screened } = nearestBoth(points, centers, d);
      assert.deepEqual(screened[0], direct[0], `clusters, d ${d}, k ${k}`);
      assert.deepEqual(screened[1], direct[1], `distances, d ${d}, k ${k}`);
    }
  }
});

test('screened nearestCenters keeps ties on the lowest index', () => {
  const d = 9;
  const random = new RandomGenerator(5);
  // Centres 3 and 11 are equal, and centres 4 and 12 mirror each other in the first feature.
  const centers = randomRows(16, d, 8);
  centers.set(centers.subarray(3 * d, 4 * d), 11 * d);
  centers.set(centers.subarray(4 * d, 5 * d), 12 * d);
  centers[12 * d] = -centers[4 * d];
  const points = new Float64Array(600 * d);
  for (let i = 0; i < 600; i++) {
    const base = i % 3 === 0 ? 3 : 4;
    for (let j = 0; j < d; j++) points[i * d + j] = centers[base * d + j] + 1e-3 * random.nextNormal();
    // On the mirror plane, rows are as far from centre 4 as from centre 12.
    if (base === 4) points[i * d] = 0;
  }
  const { direct, screened } = nearestBoth(points, centers, d);
  assert.deepEqual(screened[0], direct[0]);
  assert.deepEqual(screened[1], direct[1]);
  assert.ok(direct[0].every((cluster) => cluster !== 11), 'the equal centre with the higher index never wins');
});

test('screen exact for ulp-close centres', () => {
  const d = 9;
  const random = new RandomGenerator(11);
  // Centres 2 and 6 differ by about one unit in the last place of single precision.
  const centers = randomRows(12, d, 21);
  for (let j = 0; j < d; j++) centers[6 * d + j] = centers[2 * d + j] * (1 + 1e-7);
  const points = new Float64Array(500 * d);
  for (let i = 0; i < 500; i++) {
    for (let j = 0; j < d; j++) points[i * d + j] = centers[2 * d + j] + (i % 2 === 0 ? 1e-3 : 1) * random.nextNormal();
  }
  const { direct, screened } = nearestBoth(points, centers, d);
  assert.deepEqual(screened[0], direct[0]);
  assert.deepEqual(screened[1], direct[1]);
});

test('screen exact outside f32 range', () => {
  const d = 9;
  for (const scale of [1e-22, 1e-18, 1e18, 1e19, 1e200]) {
    const points = randomRows(300, d, 31).map((value) => value * scale);
    const centers = randomRows(10, d, 32).map((value) => value * scale);
    const { direct, screened } = nearestBoth(points, centers, d);
    assert.deepEqual(screened[0], direct[0], `clusters at scale ${scale}`);
    assert.deepEqual(screened[1], direct[1], `distances at scale ${scale}`);
  }
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
  assert.ok(pool);
  assert.ok(pool.waitUntilStarted(), 'the kernel threads did not start');
  const outOfBounds = 2 ** 31;
  const failing = [[], [{ name: 'nearestCenters' as const, args: [outOfBounds, 0, 10, 9, outOfBounds, 3, outOfBounds, 0, 0] }]];
  assert.throws(() => pool.run(failing, kernels().functions), { name: 'JobError', message: /a kernel thread failed/ });
  // The pool still runs jobs afterwards.
  assert.doesNotThrow(() => pool.run([[], []], kernels().functions));
});

test('kernel jobs need no started worker thread', () => {
  // A fresh pool whose thread has not started yet: the calling thread runs every list and call.
  const pool = new KernelThreads(1);
  const n = 300;
  const d = 3;
  const points = randomRows(n, d, 41);
  const centers = randomRows(4, d, 42);
  try {
    const { listed, claimed } = withKernels((kernel) => {
      const pointsAt = kernel.copyF64(points);
      const centersAt = kernel.copyF64(centers);
      const listedAt = kernel.allocateI32(n);
      const claimedAt = kernel.allocateI32(n);
      const call = (clustersAt: number, start: number, end: number) => ({ name: 'nearestCenters' as const, args: [pointsAt, start, end, d, centersAt, 4, clustersAt, 0, 0] });
      pool.run([[call(listedAt, 0, 100)], [call(listedAt, 100, n)]], kernel.functions);
      pool.runClaimed([call(claimedAt, 0, 100), call(claimedAt, 100, 200), call(claimedAt, 200, n)], kernel.functions);
      return { listed: Int32Array.from(kernel.i32(listedAt, n)), claimed: Int32Array.from(kernel.i32(claimedAt, n)) };
    });
    for (let i = 0; i < n; i++) {
      assert.equal(listed[i], nearestCenter(points, i, centers, 4, d), `listed row ${i}`);
      assert.equal(claimed[i], listed[i], `claimed row ${i}`);
    }
  } finally {
    pool.close();
  }
});
