/**
 * Trials: the record of a search, as Hyperopt's `Trials` (`base.py`), plus
 * the state of the search's random generator so that a search saved to
 * JSON and resumed continues exactly as one uninterrupted call.
 */
import { InputError, JobError } from '../errors.js';
import type { RandomState } from '../random.js';
import type { Assignment } from './space.js';

/** Life-cycle state of a trial: queued, being evaluated, evaluated, or stopped by an exception. */
export type TrialState = 'new' | 'running' | 'done' | 'error';

/** Hyperopt's result status; `new` and `running` until the objective returns. */
export type TrialStatus = 'new' | 'running' | 'ok' | 'fail';

/** One trial: its parameters, result and timings. JSON-serialisable. */
export interface Trial {
  /** Trial id, 0, 1, 2, … in order of creation. */
  tid: number;
  state: TrialState;
  /** Stored values of the active hyperparameters (option indices for choices), Hyperopt's `misc.vals`. */
  params: Assignment;
  status: TrialStatus;
  /** Loss of an `ok` trial: always a finite number. */
  loss?: number;
  /** Reason the trial failed, in one sentence. */
  reason?: string;
  /** Extra numbers returned by the objective. */
  metrics?: Record<string, number>;
  /** Seed the algorithm drew this trial's parameters with; absent for given points. */
  seed?: number;
  /** Start of the evaluation, ISO 8601. */
  startTime?: string;
  /** End of the evaluation, ISO 8601. */
  endTime?: string;
  /** Duration of the evaluation in milliseconds. */
  durationMs?: number;
}

/** The JSON form of {@link Trials}. */
export interface TrialsJson {
  format: 'grooviest-trials';
  version: 1;
  /** State of the search's random generator after the last suggestion; null before any. */
  rngState: RandomState | null;
  trials: Trial[];
}

/** The trials of one search, in order of tid. */
export class Trials {
  private readonly documents: Trial[] = [];

  /** State of the search's seed generator, saved by `fmin` after each suggestion. */
  rngState: RandomState | null = null;

  /** Every trial, in order of tid. */
  get trials(): readonly Trial[] {
    return this.documents;
  }

  /** Number of trials. */
  get length(): number {
    return this.documents.length;
  }

  /** Losses in order of tid: undefined for trials without an `ok` result. */
  losses(): (number | undefined)[] {
    return this.documents.map((trial) => (trial.status === 'ok' ? trial.loss : undefined));
  }

  /** Statuses in order of tid. */
  statuses(): TrialStatus[] {
    return this.documents.map((trial) => trial.status);
  }

  /** The `ok` trial with the lowest loss (the earliest on ties); undefined when none succeeded. */
  get bestTrial(): Trial | undefined {
    let best: Trial | undefined;
    for (const trial of this.documents) {
      if (trial.status !== 'ok' || trial.loss === undefined) continue;
      if (best === undefined || trial.loss < (best.loss as number)) best = trial;
    }
    return best;
  }

  /**
   * Parameters of the best trial in Hyperopt's form: option indices for
   * choices, values for the rest. Throws a {@link JobError} when no trial succeeded.
   */
  get argmin(): Assignment {
    const best = this.bestTrial;
    if (best === undefined) throw allTrialsFailed(this.documents);
    return { ...best.params };
  }

  /** Id the next trial gets. */
  nextTid(): number {
    return this.documents.length === 0 ? 0 : this.documents[this.documents.length - 1].tid + 1;
  }

  /** Appends a trial; its tid must be {@link Trials.nextTid}. */
  insert(trial: Trial): void {
    if (trial.tid !== this.nextTid()) throw new Error(`invalid tid: ${trial.tid} (expected ${this.nextTid()})`);
    this.documents.push(trial);
  }

  /** Returns the JSON form, with the generator state. */
  toJSON(): TrialsJson {
    return { format: 'grooviest-trials', version: 1, rngState: this.rngState, trials: this.documents.map((trial) => structuredClone(trial)) };
  }

  /** Restores trials saved with {@link Trials.toJSON}; throws an {@link InputError} on another format. */
  static fromJSON(json: unknown): Trials {
    const document = json as Partial<TrialsJson> | null;
    if (document === null || typeof document !== 'object' || document.format !== 'grooviest-trials' || document.version !== 1 || !Array.isArray(document.trials)) {
      throw new InputError('invalid trials file: not a grooviest-trials version 1 document (save it with Trials.toJSON)');
    }
    const trials = new Trials();
    trials.rngState = document.rngState ?? null;
    for (const trial of document.trials) trials.insert(structuredClone(trial));
    return trials;
  }
}

function allTrialsFailed(trials: readonly Trial[]): JobError {
  if (trials.length === 0) return new JobError('no trials were evaluated, so there is no best trial (raise maxEvals or timeout)');
  const firstReason = trials.find((trial) => trial.reason !== undefined)?.reason;
  const detail = firstReason === undefined ? '' : `; the first failure: ${firstReason}`;
  return new JobError(`all ${trials.length} trials failed${detail}`);
}
