/**
 * Worker threads that run kernel calls on this thread's kernel memory. Every
 * thread instantiates the same WebAssembly module on the same shared memory,
 * so rows are never copied. A job gives each thread its own list of calls,
 * or one list from which every thread claims the next call. The calling
 * thread takes part itself and blocks on `Atomics.wait` until the others
 * finish, so callers stay synchronous.
 *
 * The pool starts with the first job that uses more than one thread and is
 * kept for later jobs. Idle threads do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { JobError } from '../../errors.js';
import { kernels, type KernelFunctions, type Kernels } from './wasm.js';
import { compiledFile } from '../../package-files.js';

/** Rows per block: the unit of work handed to a thread, and of summation order. */
export const BLOCK_ROWS = 16384;

/**
 * Rows from which a job runs on every core. The pool starts once per process
 * (about 50 ms) and a job costs a few tens of microseconds to hand out, so
 * this is low. It is an estimate from runs on a 2-core machine.
 */
export const PARALLEL_MIN_ROWS = 50000;

/** One call of a kernel function with its numeric arguments. */
export interface KernelCall {
  name: keyof KernelFunctions;
  args: number[];
}

/** Index of the generation counter that wakes threads. */
export const CONTROL_GENERATION = 0;
/** Index of the count of threads done with the current job. */
export const CONTROL_DONE = 1;
/** Index of the count of threads that started. */
export const CONTROL_READY = 2;
/** Index of the count of threads whose calls of the current job threw. */
export const CONTROL_FAILED = 3;
/** Index of the next call to claim in a job whose calls are claimed one at a time. */
export const CONTROL_NEXT = 4;

/** Setup data a thread receives when it starts. */
export interface ThreadSetup {
  control: SharedArrayBuffer;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  port: MessagePort;
}

/**
 * Message a thread receives for each job: its own calls, calls that every
 * thread claims one at a time from a shared counter, or `exit`.
 */
export type ThreadJob = { calls: KernelCall[] } | { claimed: KernelCall[] } | { exit: true };

/** Time to wait for the threads to start before running on the calling thread alone (milliseconds). */
const START_TIMEOUT_MS = 10000;

/** A pool of kernel threads bound to one {@link Kernels} memory. */
export class KernelThreads {
  private readonly control = new Int32Array(new SharedArrayBuffer(5 * 4));
  private readonly threads: { worker: Worker; port: MessagePort }[] = [];
  private ready = false;

  /** Starts `count` worker threads. */
  constructor(count: number, owner: Kernels = kernels()) {
    for (let t = 0; t < count; t++) {
      const { port1, port2 } = new MessageChannel();
      const setup: ThreadSetup = { control: this.control.buffer as SharedArrayBuffer, module: owner.module, memory: owner.memory, port: port2 };
      const worker = new Worker(compiledFile('ml/kernels/kernel-thread.js'), { workerData: setup, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.threads.push({ worker, port: port1 });
    }
  }

  /** Worker threads in the pool (the calling thread comes on top). */
  get size(): number {
    return this.threads.length;
  }

  /** Waits for every thread to start; returns false (and stops them) when they do not start in time. */
  waitUntilReady(): boolean {
    if (this.ready) return true;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const started = Atomics.load(this.control, CONTROL_READY);
      if (started === this.threads.length) return (this.ready = true);
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close();
        return false;
      }
      Atomics.wait(this.control, CONTROL_READY, started, left);
    }
  }

  /**
   * Runs `calls[0]` on the calling thread and `calls[t]` on worker thread
   * t − 1, and returns when all are done. At most `size + 1` lists.
   */
  run(calls: KernelCall[][], functions: KernelFunctions): void {
    const others = calls.slice(1, this.threads.length + 1);
    // Threads without calls get an empty list, so every thread reports every job as done.
    this.start((t) => ({ calls: others[t] ?? [] }));
    runCalls(functions, calls[0] ?? []);
    this.finish();
  }

  /**
   * Runs `calls` on every thread, each thread claiming the next call not yet
   * taken, and returns when all are done. Calls must not depend on which
   * thread runs them; claiming keeps threads busy when calls take unequal time.
   */
  runClaimed(calls: KernelCall[], functions: KernelFunctions): void {
    Atomics.store(this.control, CONTROL_NEXT, 0);
    this.start(() => ({ claimed: calls }));
    runClaimedCalls(functions, calls, this.control);
    this.finish();
  }

  /** Hands worker thread t the job `jobOf(t)` and wakes the threads. */
  private start(jobOf: (t: number) => ThreadJob): void {
    Atomics.store(this.control, CONTROL_DONE, 0);
    Atomics.store(this.control, CONTROL_FAILED, 0);
    this.threads.forEach(({ port }, t) => port.postMessage(jobOf(t)));
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
  }

  /** Waits until every worker thread has finished its job, and raises a failure of any of them. */
  private finish(): void {
    const waiting = this.threads.length;
    for (;;) {
      const done = Atomics.load(this.control, CONTROL_DONE);
      if (done === waiting) break;
      Atomics.wait(this.control, CONTROL_DONE, done, 1000);
    }
    if (Atomics.load(this.control, CONTROL_FAILED) > 0) throw new JobError('internal error: a kernel thread failed while running its share of a job');
  }

  /** Stops the threads. */
  close(): void {
    for (const { port } of this.threads) port.postMessage({ exit: true } satisfies ThreadJob);
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
    for (const { worker } of this.threads) void worker.terminate();
    this.threads.length = 0;
  }
}

/** Runs kernel calls in order on this thread. */
export function runCalls(functions: KernelFunctions, calls: KernelCall[]): void {
  for (const call of calls) runCall(functions, call);
}

/** Runs the calls of a claimed job that this thread claims from the counter in `control`. */
export function runClaimedCalls(functions: KernelFunctions, calls: KernelCall[], control: Int32Array): void {
  for (let next = Atomics.add(control, CONTROL_NEXT, 1); next < calls.length; next = Atomics.add(control, CONTROL_NEXT, 1)) runCall(functions, calls[next]);
}

function runCall(functions: KernelFunctions, call: KernelCall): void {
  (functions[call.name] as (...args: number[]) => number)(...call.args);
}

let pool: KernelThreads | undefined;

/**
 * Starts the shared pool with at least `threads − 1` worker threads without
 * waiting for them, so they boot while the caller copies its rows.
 */
export function startKernelThreads(threads: number): void {
  if (threads <= 1) return;
  if (pool === undefined || pool.size < threads - 1) {
    pool?.close();
    pool = new KernelThreads(threads - 1);
  }
}

/**
 * Returns this thread's shared pool with at least `threads − 1` worker
 * threads, started on first use, or undefined when `threads` is 1 or the
 * threads could not start.
 */
export function kernelThreads(threads: number): KernelThreads | undefined {
  if (threads <= 1) return undefined;
  startKernelThreads(threads);
  if (!pool!.waitUntilReady()) {
    pool = undefined;
    return undefined;
  }
  return pool;
}

/** Threads a job of `rows` rows should use: the requested count, else every core from {@link PARALLEL_MIN_ROWS} rows, else 1. */
export function threadsFor(rows: number, requested?: number): number {
  return Math.max(1, requested ?? (rows >= PARALLEL_MIN_ROWS ? availableParallelism() : 1));
}

/** Splits `numBlocks` blocks into at most `parts` contiguous ranges of nearly equal size. */
export function blockShares(numBlocks: number, parts: number): [number, number][] {
  const share = Math.ceil(numBlocks / Math.max(1, parts));
  const shares: [number, number][] = [];
  for (let first = 0; first < numBlocks; first += share) shares.push([first, Math.min(numBlocks, first + share)]);
  return shares;
}
