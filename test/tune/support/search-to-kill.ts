/**
 * A search that kills its own process with SIGKILL during the evaluation of
 * trial `killAt`, for the kill-and-resume test. Usage:
 * node search-to-kill.js <trials file> <killAt>
 */
import { fmin } from '../../../src/tune/fmin.js';
import { resumableObjective, resumableSpace, RESUMABLE_SEED, RESUMABLE_MAX_EVALS } from './resumable-search.js';

const [file, killAt] = process.argv.slice(2);
let calls = 0;
await fmin({
  fn: (params) => {
    if (calls++ === Number(killAt)) process.kill(process.pid, 'SIGKILL');
    return resumableObjective(params);
  },
  space: resumableSpace(),
  maxEvals: RESUMABLE_MAX_EVALS,
  seed: RESUMABLE_SEED,
  trialsSaveFile: file,
});
