/**
 * Worker thread of the parallel Lloyd loop: waits on a shared control word
 * for a command, processes its share of the blocks and signals completion.
 * Commands: 1 = first pass, 2 = bounded pass, 3 = exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processBlock, type LloydBuffers } from './lloyd-block.js';
import { CONTROL_COMMAND, CONTROL_DONE, CONTROL_GENERATION, CONTROL_READY, type WorkerSetup } from './lloyd-parallel.js';

const setup = workerData as WorkerSetup;
const control = new Int32Array(setup.control);
const buffers: LloydBuffers = {
  points: new Float64Array(setup.points),
  weights: new Float64Array(setup.weights),
  n: setup.n,
  d: setup.d,
  k: setup.k,
  centers: new Float64Array(setup.centers),
  centerStats: new Float64Array(setup.centerStats),
  assignment: new Int32Array(setup.assignment),
  upper: new Float64Array(setup.upper),
  lower: new Float64Array(setup.lower),
  blockSums: new Float64Array(setup.blockSums),
  blockWeights: new Float64Array(setup.blockWeights),
};

let seen = 0;
Atomics.add(control, CONTROL_READY, 1);
Atomics.notify(control, CONTROL_READY);
for (;;) {
  Atomics.wait(control, CONTROL_GENERATION, seen);
  seen = Atomics.load(control, CONTROL_GENERATION);
  const command = Atomics.load(control, CONTROL_COMMAND);
  if (command === 3) break;
  for (let block = setup.firstBlock; block < setup.endBlock; block++) processBlock(buffers, block, command === 1);
  Atomics.add(control, CONTROL_DONE, 1);
  Atomics.notify(control, CONTROL_DONE);
}
parentPort?.close();
