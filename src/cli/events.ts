/**
 * Renders library events on stderr: progress bars on a TTY (cli-progress),
 * plain periodic lines otherwise; warnings and notices as prefixed lines.
 */
import cliProgress from 'cli-progress';
import type { GrooviestEvent, OnEvent, ProgressEvent } from '../contracts/events.js';

/** How much the renderer prints. */
export type Verbosity = 'quiet' | 'normal' | 'debug';

/** Options of the stderr event renderer. */
export interface RendererOptions {
  verbosity: Verbosity;
  /** Stream to write to; default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between two plain progress lines of one task; default 2000. */
  plainIntervalMs?: number;
}

/** A live renderer: `onEvent` for libraries, `close()` to finish bars before the result is printed. */
export interface EventRenderer {
  onEvent: OnEvent;
  /** Warnings seen so far, for summaries. */
  warnings: GrooviestEvent[];
  close(): void;
}

/** Creates the stderr renderer for one CLI invocation. */
export function createEventRenderer(options: RendererOptions): EventRenderer {
  const stream = options.stream ?? process.stderr;
  const plainIntervalMs = options.plainIntervalMs ?? 2000;
  const tty = Boolean(stream.isTTY);
  const bars = new Map<string, cliProgress.SingleBar>();
  const lastPlainLine = new Map<string, number>();
  const finishedPlainLine = new Map<string, string>();
  const warnings: GrooviestEvent[] = [];

  function writeLine(line: string): void {
    // A line printed while a bar is drawn would be overwritten; cli-progress
    // has no log API for single bars, so clear the line first.
    if (tty && bars.size > 0) stream.write('\r\x1b[K');
    stream.write(line + '\n');
  }

  function renderProgress(event: ProgressEvent): void {
    if (options.verbosity === 'quiet') return;
    if (tty && event.total !== undefined) {
      let bar = bars.get(event.task);
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${event.task} [{bar}] {percentage}% | {value}/{total} ${event.unit ?? ''} | ETA {eta_formatted} {message}`,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, 0, { message: '' });
        bars.set(event.task, bar);
      }
      bar.setTotal(event.total);
      bar.update(event.done, { message: event.message ?? '' });
      if (event.done >= event.total) {
        bar.stop();
        bars.delete(event.task);
      }
      return;
    }

    const now = Date.now();
    const last = lastPlainLine.get(event.task) ?? 0;
    const finished = event.total !== undefined && event.done >= event.total;
    if (!finished && now - last < plainIntervalMs) return;
    // A task that reports its end twice (the last item, then the summary) gets one final line.
    const count = `${event.done}/${event.total}`;
    if (finished && finishedPlainLine.get(event.task) === count) return;
    if (finished) finishedPlainLine.set(event.task, count);
    lastPlainLine.set(event.task, now);
    const total = event.total === undefined ? '' : `/${event.total}`;
    const message = event.message ? ` ${event.message}` : '';
    writeLine(`${event.task}: ${event.done}${total}${event.unit ? ' ' + event.unit : ''}${message}`);
  }

  function onEvent(event: GrooviestEvent): void {
    switch (event.type) {
      case 'progress':
        renderProgress(event);
        return;
      case 'warning':
        warnings.push(event);
        if (options.verbosity !== 'quiet') writeLine(`warning: ${event.message}`);
        return;
      case 'info':
        if (options.verbosity !== 'quiet' || event.always) writeLine(event.message);
        return;
      case 'retry':
        if (options.verbosity !== 'quiet') {
          writeLine(`retry ${event.attempt} of ${event.operation} in ${(event.waitMs / 1000).toFixed(1)} s: ${event.reason}`);
        }
        return;
      case 'debug':
        if (options.verbosity === 'debug') writeLine(`debug: ${event.message}`);
        return;
      default: {
        const unknown: never = event;
        throw new Error(`invalid event: ${JSON.stringify(unknown)}`);
      }
    }
  }

  function close(): void {
    for (const bar of bars.values()) bar.stop();
    bars.clear();
  }

  return { onEvent, warnings, close };
}
