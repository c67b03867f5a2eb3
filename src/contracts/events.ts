/**
 * Events: how libraries report long or noteworthy work. Libraries never print;
 * they call one typed `onEvent` callback and the CLI renders what arrives as
 * progress bars, warnings and summaries (on stderr).
 */

/** Progress of a long task: `done` of `total` units (total may be unknown). */
export interface ProgressEvent {
  type: 'progress';
  /** Stable name of the task, such as `download`, `load`, `albums`, `trials`. */
  task: string;
  done: number;
  total?: number;
  /** Unit of `done` and `total`, such as `bytes`, `rows`, `requests`. */
  unit?: string;
  /** Short human text for the current step. */
  message?: string;
}

/** Something the user should know about; the job continues. */
export interface WarningEvent {
  type: 'warning';
  /** Stable machine-readable code, such as `range`, `empty-file`, `tpe-startup-only`. */
  code: string;
  message: string;
  /** Structured details (counts, examples) for `--json` consumers and tests. */
  details?: Record<string, unknown>;
}

/** A neutral notice (a summary line, a policy notice). */
export interface InfoEvent {
  type: 'info';
  code: string;
  message: string;
  /** Shown even with `--quiet`, for notices users must not miss (Spotify's policy). */
  always?: boolean;
  details?: Record<string, unknown>;
}

/** A retried request or a wait imposed by a service. */
export interface RetryEvent {
  type: 'retry';
  /** Operation retried, without secrets, for example a method and a path. */
  operation: string;
  attempt: number;
  /** Milliseconds waited before the next attempt. */
  waitMs: number;
  reason: string;
}

/** Detail for `--debug` only (request logs without secrets). */
export interface DebugEvent {
  type: 'debug';
  message: string;
}

/** Any event a library can report. */
export type GrooviestEvent = ProgressEvent | WarningEvent | InfoEvent | RetryEvent | DebugEvent;

/** Receives events from library code. */
export type OnEvent = (event: GrooviestEvent) => void;

/** An event sink that drops everything; the default for library calls. */
export const ignoreEvents: OnEvent = () => {};
