/**
 * Hyperopt-compatible search: `hp` spaces, `fmin`, `Trials`, and the `tpe`
 * and `rand` algorithms.
 */
export { defineAlgorithm, type Algorithm, type SuggestRequest } from './algorithm.js';
export { noProgressLoss } from './early-stop.js';
export { runStatusOf, type OnTrial, type TrialEndEvent, type TrialEvent, type TrialStartEvent } from './events.js';
export { fmin, normaliseResult, type EarlyStopFn, type FminOptions, type FminResult, type ObjectiveReturn } from './fmin.js';
export { rand } from './rand.js';
export { Choice, hp, Param, spaceEval, spaceParameters, type Assignment, type Distribution, type Hyperparameter, type SpaceValue } from './space.js';
export { HYPEROPT_TPE_DEFAULTS, OPTUNA_TPE_DEFAULTS, tpe, type TpeOptions } from './tpe/sampler.js';
export { Trials, type Trial, type TrialsJson, type TrialState, type TrialStatus } from './trials.js';
