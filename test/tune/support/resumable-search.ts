/** The search the kill-and-resume test runs: TPE past its start-up on a conditional space. */
import { hp, type SpaceValue } from '../../../src/tune/space.js';

/** Seed of the search. */
export const RESUMABLE_SEED = 2024;

/** Trials of the whole search: past the 20 random start-up trials. */
export const RESUMABLE_MAX_EVALS = 30;

/** Builds a conditional space with continuous, quantised and categorical parameters. */
export function resumableSpace() {
  return {
    x: hp.uniform('x', -5, 10),
    branch: hp.choice('branch', [{ k: hp.randint('k', 3, 20) }, { q: hp.quniform('q', 0, 10, 1) }]),
  };
}

/** Computes a loss with its minimum near x = 2, k = 7. */
export function resumableObjective(params: SpaceValue<ReturnType<typeof resumableSpace>>): number {
  const branch = params.branch as { k?: number; q?: number };
  const discrete = branch.k !== undefined ? Math.abs(branch.k - 7) : 1 + Math.abs((branch.q as number) - 4);
  return (params.x - 2) ** 2 + discrete;
}
