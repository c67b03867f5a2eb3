/**
 * Renders report charts on worker threads. `grooviest run` starts the
 * workers before it loads the data: each loads Vega and warms it up on a
 * made-up report while the main thread reads and clusters, so at the end the
 * charts render in parallel on threads that are ready.
 */
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';

/** A chart to render: `id` pairs the reply with its request. */
export interface ChartRequest {
  id: number;
  spec: unknown;
}

/** The SVG of a chart, or why it could not be rendered. */
export interface ChartReply {
  id: number;
  svg?: string;
  error?: string;
}

interface Pending {
  resolve: (svg: string) => void;
  reject: (error: Error) => void;
}

/** A fixed pool of chart-rendering threads; charts go to the thread with the fewest waiting. */
export class ChartWorkers {
  private readonly workers: { worker: Worker; waiting: Map<number, Pending> }[] = [];
  private nextId = 0;

  /** Starts `size` threads (at least one). */
  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(new URL('./chart-worker.js', import.meta.url));
      const waiting = new Map<number, Pending>();
      worker.on('message', (reply: ChartReply) => {
        const pending = waiting.get(reply.id);
        if (!pending) return;
        waiting.delete(reply.id);
        if (waiting.size === 0) worker.unref();
        if (reply.svg !== undefined) pending.resolve(reply.svg);
        else pending.reject(new Error(reply.error ?? 'no SVG returned'));
      });
      const failAll = (error: Error) => {
        for (const pending of waiting.values()) pending.reject(error);
        waiting.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => failAll(new Error(`the chart thread stopped (exit code ${code})`)));
      worker.unref();
      this.workers.push({ worker, waiting });
    }
  }

  /** Renders a Vega-Lite spec to SVG on the least busy thread. */
  render(spec: TopLevelSpec): Promise<string> {
    const target = this.workers.reduce((least, entry) => (entry.waiting.size < least.waiting.size ? entry : least));
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      // An idle thread does not keep the process alive; one with charts to render does.
      if (target.waiting.size === 0) target.worker.ref();
      target.waiting.set(id, { resolve, reject });
      target.worker.postMessage({ id, spec } satisfies ChartRequest);
    });
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
