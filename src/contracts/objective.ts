/**
 * The result an objective function returns to the search (Hyperopt's result
 * document). Expected failures of one trial, such as a fold whose validation
 * rows fall in a single cluster or fewer rows than k, are `status: 'fail'`
 * with a reason rather than exceptions, so the search goes on.
 */
export interface ObjectiveResult {
  /** Value to minimise; the k objective uses the negative mean silhouette. */
  loss?: number;
  status: 'ok' | 'fail';
  /** Reason the trial failed, in one sentence. */
  reason?: string;
  /** Extra numbers for tracking, such as `silhouette_fold_0`, `silhouette_mean`, `silhouette_std`. */
  metrics?: Record<string, number>;
}
