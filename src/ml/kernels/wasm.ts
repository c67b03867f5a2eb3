/**
 * The WebAssembly kernels (compiled from assembly/kernels.ts) and the memory
 * they work in.
 *
 * Each thread loads the module once. Its memory is a shared, growable
 * WebAssembly memory, so worker threads can run the same kernels on the same
 * rows. Memory is handed out like a stack: take a mark, allocate, and release
 * back to the mark when done ({@link withKernels}). Kernels see byte offsets;
 * TypeScript reads and writes through typed-array views, which must be
 * created again after an allocation, because growing the memory replaces its
 * buffer.
 */
import { readFileSync } from 'node:fs';
import { JobError } from '../../errors.js';
import { compiledFile } from '../../package-files.js';

/** The functions the module exports; arguments are byte offsets, counts and flags (see assembly/kernels.ts). */
export interface KernelFunctions {
  screenBytes(k: number, d: number): number;
  prepareScreen(centers: number, k: number, d: number, screen: number): void;
  nearestCenters(points: number, start: number, end: number, d: number, centers: number, k: number, clusters: number, distances: number, screen: number): number;
  lowerCosts(points: number, start: number, end: number, d: number, centers: number, k: number, costs: number, owners: number, ownerBase: number, screen: number): number;
  lloydPass(
    points: number,
    weights: number,
    start: number,
    end: number,
    d: number,
    centers: number,
    k: number,
    stats: number,
    clusters: number,
    lower: number,
    firstPass: number,
    sums: number,
    clusterWeights: number,
    exhaustiveCount: number,
    changesOnly: number,
    screen: number,
    cost: number,
    failing: number,
  ): void;
  pairDistanceSums(points: number, n: number, d: number, clusters: number, m: number, sums: number): void;
  silhouetteStats(points: number, weights: number, start: number, end: number, d: number, clusters: number, clusterWeights: number, vectorSums: number, normSums: number, norms: number): void;
  silhouettes(
    points: number,
    weights: number,
    start: number,
    end: number,
    d: number,
    clusters: number,
    m: number,
    clusterWeights: number,
    vectorSums: number,
    meanNorms: number,
    norms: number,
    cosine: number,
    out: number,
    scratch: number,
  ): void;
}

/**
 * Smallest k for which the kernels screen centres in single precision (see
 * `nearestScreened` in assembly/kernels.ts). Measured against direct
 * distances with 9 features: 1.27× faster at k = 3, 1.8× at 8, 2.7× at 20,
 * and 0.76× at k = 2.
 */
const SCREEN_MIN_K = 3;
/** Features beyond which screening needs more centres to pay. */
const SCREEN_WIDE_FEATURES = 16;
/** Smallest k for screening beyond {@link SCREEN_WIDE_FEATURES}: with 30 features 0.84× at k = 5 and 1.1× at 8. */
const SCREEN_MIN_K_WIDE = 8;

/** Bytes per WebAssembly page. */
const PAGE_BYTES = 65536;
/** Largest memory the module declares: 65,536 pages, 4 GiB. */
const MAXIMUM_PAGES = 65536;
/** First byte handed out; offset 0 stays free because kernels read 0 as "no array". */
const FIRST_OFFSET = 64;

/** The kernels of one thread and the memory they share with other threads. */
export class Kernels {
  readonly functions: KernelFunctions;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  private top = FIRST_OFFSET;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.module = module;
    this.memory = memory;
    const instance = new WebAssembly.Instance(module, { env: { memory, abort: abortFromKernel } });
    this.functions = instance.exports as unknown as KernelFunctions;
  }

  /** Returns the current top of the stack of allocations, for {@link release}. */
  mark(): number {
    return this.top;
  }

  /** Frees every allocation made since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /** Reserves `bytes` (16-byte aligned) and returns their offset; grows the memory when needed. */
  allocate(bytes: number): number {
    const offset = this.top;
    const end = offset + Math.ceil(bytes / 16) * 16;
    const needed = Math.ceil(end / PAGE_BYTES);
    const pages = this.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > pages) {
      if (needed > MAXIMUM_PAGES) {
        throw new JobError(`out of kernel memory: ${Math.round(end / 2 ** 20)} MiB needed, at most ${MAXIMUM_PAGES / 16} MiB available (use fewer rows or features)`);
      }
      this.memory.grow(needed - pages);
    }
    this.top = end;
    return offset;
  }

  /** Reserves room for `length` f64 values. */
  allocateF64(length: number): number {
    return this.allocate(length * 8);
  }

  /** Reserves room for `length` i32 values. */
  allocateI32(length: number): number {
    return this.allocate(length * 4);
  }

  /** Copies `values` into new memory and returns its offset. */
  copyF64(values: Float64Array): number {
    const offset = this.allocateF64(values.length);
    this.f64(offset, values.length).set(values);
    return offset;
  }

  /**
   * Writes the screen layout of the `k` centres at `centersAt` (see `prepareScreen` in
   * assembly/kernels.ts) to new memory and returns its offset, or 0 when k is too small
   * for screening to pay. Call `functions.prepareScreen` on it again whenever the centres change.
   */
  screen(centersAt: number, k: number, d: number): number {
    if (k < (d > SCREEN_WIDE_FEATURES ? SCREEN_MIN_K_WIDE : SCREEN_MIN_K)) return 0;
    const screen = this.allocate(this.functions.screenBytes(k, d));
    this.functions.prepareScreen(centersAt, k, d, screen);
    return screen;
  }

  /** Copies `values` into new memory and returns its offset. */
  copyI32(values: Int32Array): number {
    const offset = this.allocateI32(values.length);
    this.i32(offset, values.length).set(values);
    return offset;
  }

  /** Returns a view of `length` f64 values at `offset` (valid until the next allocation). */
  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }

  /** Returns a view of `length` i32 values at `offset` (valid until the next allocation). */
  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }
}

function abortFromKernel(): never {
  throw new JobError('internal error: a WebAssembly kernel aborted');
}

let threadKernels: Kernels | undefined;

/** Returns the kernels of this thread, loading them on first use. */
export function kernels(): Kernels {
  if (threadKernels === undefined) {
    const module = new WebAssembly.Module(readFileSync(compiledFile('ml/kernels/kernels.wasm')));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
    threadKernels = new Kernels(module, memory);
  }
  return threadKernels;
}

/** Runs `work` with this thread's kernels and frees what it allocated when it returns or throws. */
export function withKernels<T>(work: (kernels: Kernels) => T): T {
  const current = kernels();
  const mark = current.mark();
  try {
    return work(current);
  } finally {
    current.release(mark);
  }
}
