/**
 * Runs the blocks of each Lloyd pass on the main thread and on worker
 * threads that share the buffers (SharedArrayBuffer). The main thread blocks
 * on `Atomics.wait` until the workers finish, so callers stay synchronous.
 */
import { Worker } from 'node:worker_threads';
import { processBlock, type LloydBuffers } from './lloyd-block.js';

/** Index of the command word in the control array. */
export const CONTROL_COMMAND = 0;
/** Index of the generation counter that wakes workers. */
export const CONTROL_GENERATION = 1;
/** Index of the count of workers done with the current pass. */
export const CONTROL_DONE = 2;
/** Index of the count of workers that started. */
export const CONTROL_READY = 3;

/** Time to wait for the workers to start before running on the main thread alone (milliseconds). */
const START_TIMEOUT_MS = 10000;

/** What a worker receives: the shared buffers and its range of blocks. */
export interface WorkerSetup {
  control: SharedArrayBuffer;
  points: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  n: number;
  d: number;
  k: number;
  centers: SharedArrayBuffer;
  centerStats: SharedArrayBuffer;
  assignment: SharedArrayBuffer;
  upper: SharedArrayBuffer;
  lower: SharedArrayBuffer;
  blockSums: SharedArrayBuffer;
  blockWeights: SharedArrayBuffer;
  firstBlock: number;
  endBlock: number;
}

function shared<T extends Float64Array | Int32Array>(make: (buffer: SharedArrayBuffer) => T, length: number, bytes: number): T {
  return make(new SharedArrayBuffer(length * bytes));
}

/** Allocates the buffers of a run in shared memory and copies points and weights into them. */
export function sharedBuffers(points: Float64Array, weights: Float64Array | undefined, n: number, d: number, k: number, numBlocks: number): LloydBuffers {
  const sharedPoints = shared((buffer) => new Float64Array(buffer), points.length, 8);
  sharedPoints.set(points);
  const sharedWeights = shared((buffer) => new Float64Array(buffer), weights ? weights.length : 0, 8);
  if (weights) sharedWeights.set(weights);
  return {
    points: sharedPoints,
    weights: sharedWeights,
    n,
    d,
    k,
    centers: shared((buffer) => new Float64Array(buffer), k * d, 8),
    centerStats: shared((buffer) => new Float64Array(buffer), 2 * k + 3 + k * k + k, 8),
    assignment: shared((buffer) => new Int32Array(buffer), n, 4),
    upper: shared((buffer) => new Float64Array(buffer), n, 8),
    lower: shared((buffer) => new Float64Array(buffer), n * k, 8),
    blockSums: shared((buffer) => new Float64Array(buffer), numBlocks * k * d, 8),
    blockWeights: shared((buffer) => new Float64Array(buffer), numBlocks * k, 8),
  };
}

/** A pool of worker threads bound to one run's shared buffers. */
export class LloydWorkers {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly workers: Worker[] = [];
  private readonly mainBlocks: [number, number];

  /** Starts `threads − 1` workers; the main thread takes the first share of blocks. */
  constructor(
    private readonly buffers: LloydBuffers,
    numBlocks: number,
    threads: number,
  ) {
    const share = Math.ceil(numBlocks / threads);
    this.mainBlocks = [0, Math.min(numBlocks, share)];
    for (let t = 1; t < threads; t++) {
      const firstBlock = Math.min(numBlocks, t * share);
      const endBlock = Math.min(numBlocks, (t + 1) * share);
      if (firstBlock >= endBlock) break;
      const setup: WorkerSetup = {
        control: this.control.buffer as SharedArrayBuffer,
        points: buffers.points.buffer as SharedArrayBuffer,
        weights: buffers.weights.buffer as SharedArrayBuffer,
        n: buffers.n,
        d: buffers.d,
        k: buffers.k,
        centers: buffers.centers.buffer as SharedArrayBuffer,
        centerStats: buffers.centerStats.buffer as SharedArrayBuffer,
        assignment: buffers.assignment.buffer as SharedArrayBuffer,
        upper: buffers.upper.buffer as SharedArrayBuffer,
        lower: buffers.lower.buffer as SharedArrayBuffer,
        blockSums: buffers.blockSums.buffer as SharedArrayBuffer,
        blockWeights: buffers.blockWeights.buffer as SharedArrayBuffer,
        firstBlock,
        endBlock,
      };
      const worker = new Worker(new URL('./lloyd-worker.js', import.meta.url), { workerData: setup });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Waits for every worker to start; returns false (and stops them) when they do not start in time. */
  waitUntilReady(): boolean {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(this.control, CONTROL_READY);
      if (ready === this.workers.length) return true;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close();
        return false;
      }
      Atomics.wait(this.control, CONTROL_READY, ready, left);
    }
  }

  /** Runs one pass over every block and returns when all threads are done. */
  runPass(firstPass: boolean): void {
    Atomics.store(this.control, CONTROL_DONE, 0);
    Atomics.store(this.control, CONTROL_COMMAND, firstPass ? 1 : 2);
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
    for (let block = this.mainBlocks[0]; block < this.mainBlocks[1]; block++) processBlock(this.buffers, block, firstPass);
    for (;;) {
      const done = Atomics.load(this.control, CONTROL_DONE);
      if (done === this.workers.length) break;
      Atomics.wait(this.control, CONTROL_DONE, done, 1000);
    }
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.control, CONTROL_COMMAND, 3);
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}
