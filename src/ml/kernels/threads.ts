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
/** Index of the count of threads whose calls of the current job threw. */
export const CONTROL_FAILED = 2;
/** Index of the next call to claim in a job whose calls are claimed one at a time. */
export const CONTROL_NEXT = 3;
/** Index of worker thread 0's started flag; thread t's flag follows at t. */
export const CONTROL_STARTED = 4;

/** Setup data a thread receives when it starts. */
export interface ThreadSetup {
  /** Position of the thread in its pool. */
  index: number;
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

/** Default time {@link KernelThreads.waitUntilStarted} waits (milliseconds). */
const START_TIMEOUT_MS = 10000;

/**
 * A pool of kernel threads bound to one {@link Kernels} memory. A job goes to
 * the worker threads that have started, and the calling thread takes the
 * share of any still starting, so no job waits for a thread to boot (about
 * 25 ms on a 2-core test machine).
 */
export class KernelThreads {
  private readonly control: Int32Array;
  private readonly threads: { worker: Worker; port: MessagePort }[] = [];

  /** Starts `count` worker threads. */
  constructor(count: number, owner: Kernels = kernels()) {
    this.control = new Int32Array(new SharedArrayBuffer((CONTROL_STARTED + count) * 4));
    for (let t = 0; t < count; t++) {
      const { port1, port2 } = new MessageChannel();
      const setup: ThreadSetup = { index: t, control: this.control.buffer as SharedArrayBuffer, module: owner.module, memory: owner.memory, port: port2 };
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

  /** Waits until every worker thread has started, at most `timeoutMs`, and returns whether they all did. */
  waitUntilStarted(timeoutMs = START_TIMEOUT_MS): boolean {
    const deadline = Date.now() + timeoutMs;
    for (let t = 0; t < this.threads.length; t++) {
      for (;;) {
        if (this.started(t)) break;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        Atomics.wait(this.control, CONTROL_STARTED + t, 0, left);
      }
    }
    return true;
  }

  /**
   * Runs the lists in `calls`, each on one thread: the calling thread runs
   * `calls[0]`, then the lists of worker threads still starting. Returns when
   * all are done. At most `size + 1` lists.
   */
  run(calls: KernelCall[][], functions: KernelFunctions): void {
    const workers = this.startedThreads().slice(0, Math.max(0, calls.length - 1));
    this.start(workers, (w) => ({ calls: calls[1 + w] }));
    runCalls(functions, calls[0] ?? []);
    for (const list of calls.slice(1 + workers.length)) runCalls(functions, list);
    this.finish(workers.length);
  }

  /**
   * Runs `calls` on every started thread, each thread claiming the next call
   * not yet taken, and returns when all are done. Calls must not depend on
   * which thread runs them. Claiming keeps threads busy when calls take
   * unequal time.
   */
  runClaimed(calls: KernelCall[], functions: KernelFunctions): void {
    Atomics.store(this.control, CONTROL_NEXT, 0);
    const workers = this.startedThreads();
    this.start(workers, () => ({ claimed: calls }));
    runClaimedCalls(functions, calls, this.control);
    this.finish(workers.length);
  }

  private started(t: number): boolean {
    return Atomics.load(this.control, CONTROL_STARTED + t) === 1;
  }

  /** Returns the indices of the worker threads that have started. */
  private startedThreads(): number[] {
    return this.threads.map((_, t) => t).filter((t) => this.started(t));
  }

  /** Hands the w-th of the `workers` the job `jobOf(w)` and wakes the threads. */
  private start(workers: number[], jobOf: (w: number) => ThreadJob): void {
    Atomics.store(this.control, CONTROL_DONE, 0);
    Atomics.store(this.control, CONTROL_FAILED, 0);
    workers.forEach((t, w) => this.threads[t].port.postMessage(jobOf(w)));
    Atomics.add(this.control, CONTROL_GENERATION, 1);
    Atomics.notify(this.control, CONTROL_GENERATION);
  }

  /** Waits until `workers` worker threads have finished the job, and raises a failure of any of them. */
  private finish(workers: number): void {
    for (;;) {
      const done = Atomics.load(this.control, CONTROL_DONE);
      if (done === workers) break;
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
 * threads, started on first use without waiting for them, or undefined when
 * `threads` is 1.
 */
export function kernelThreads(threads: number): KernelThreads | undefined {
  if (threads <= 1) return undefined;
  startKernelThreads(threads);
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
