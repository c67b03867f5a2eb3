/**
 * Trial events: how `fmin` reports to a listener (the tracking stage) that a
 * trial started or ended, without any global "active run". A listener can
 * open a child run on `trialStart` and close it on `trialEnd` with
 * {@link runStatusOf}.
 */
import type { Trial } from './trials.js';

/** A trial began evaluation; `trial` has its tid and parameters. */
export interface TrialStartEvent {
  type: 'trialStart';
  /** A copy of the trial document at the start. */
  trial: Trial;
}

/** A trial ended: its status is `ok` or `fail`, with loss or reason and timings. */
export interface TrialEndEvent {
  type: 'trialEnd';
  /** A copy of the trial document at the end. */
  trial: Trial;
}

/** Any trial event. */
export type TrialEvent = TrialStartEvent | TrialEndEvent;

/** Receives trial events from `fmin`. */
export type OnTrial = (event: TrialEvent) => void;

/**
 * Returns the MLflow run status for a trial: FINISHED for an `ok` result, FAILED for
 * a failed result or an exception, KILLED for a trial that never finished.
 */
export function runStatusOf(trial: Trial): 'FINISHED' | 'FAILED' | 'KILLED' {
  if (trial.state === 'new' || trial.state === 'running') return 'KILLED';
  return trial.status === 'ok' ? 'FINISHED' : 'FAILED';
}
