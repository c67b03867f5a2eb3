/**
 * Runs the blocks of each Lloyd pass on the main thread and on worker
 * threads. Every thread instantiates the same WebAssembly module on the same
 * shared memory, so the rows are never copied. The main thread blocks on
 * `Atomics.wait` until the workers finish, so callers stay synchronous.
 */
import { Worker } from 'node:worker_threads';
import type { Kernels } from '../kernels/wasm.js';
import { passBlocks, type LloydLayout } from './lloyd-block.js';

/** Index of the command word in the control array. */
export const CONTROL_COMMAND = 0;
/** Index of the generation counter that wakes workers. */
export const CONTROL_GENERATION = 1;
/** Index of the count of workers done with the current pass. */
export const CONTROL_DONE = 2;
/** Index of the count of workers that started. */
export const CONTROL_READY = 3;

/** Commands a worker obeys. */
export const COMMAND_FIRST_PASS = 1;
export const COMMAND_BOUNDED_PASS = 2;
export const COMMAND_EXIT = 3;

/** Time to wait for the workers to start before running on the main thread alone (milliseconds). */
const START_TIMEOUT_MS = 10000;

/** What a worker receives: the module, the shared memory, the run's layout and its range of blocks. */
export interface WorkerSetup {
  control: SharedArrayBuffer;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  layout: LloydLayout;
  firstBlock: number;
  endBlock: number;
}

/** A pool of worker threads bound to one run's memory. */
export class LloydWorkers {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly workers: Worker[] = [];
  private readonly mainBlocks: [number, number];

  /** Starts `threads − 1` workers; the main thread takes the first share of blocks. */
  constructor(
    private readonly kernels: Kernels,
    private readonly layout: LloydLayout,
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
        module: kernels.module,
        memory: kernels.memory,
        layout,
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
    Atomics.store(this.control, CONTROL_COMMAND, firstPass ? COMMAND_FIRST_PASS : COMMAND_BOUNDED_PASS);
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
    passBlocks(this.kernels.functions, this.layout, this.mainBlocks[0], this.mainBlocks[1], firstPass);
    for (;;) {
      const done = Atomics.load(this.control, CONTROL_DONE);
      if (done === this.workers.length) break;
      Atomics.wait(this.control, CONTROL_DONE, done, 1000);
    }
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.control, CONTROL_COMMAND, COMMAND_EXIT);
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}
