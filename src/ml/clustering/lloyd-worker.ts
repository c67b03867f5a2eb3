/**
 * Worker thread of the parallel Lloyd loop: instantiates the kernels on the
 * shared memory, waits on a shared control word for a command, runs its share
 * of the blocks and signals completion.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kernels } from '../kernels/wasm.js';
import { passBlocks } from './lloyd-block.js';
import { COMMAND_EXIT, COMMAND_FIRST_PASS, CONTROL_COMMAND, CONTROL_DONE, CONTROL_GENERATION, CONTROL_READY, type WorkerSetup } from './lloyd-parallel.js';

const setup = workerData as WorkerSetup;
const control = new Int32Array(setup.control);
const { functions } = new Kernels(setup.module, setup.memory);

let seen = 0;
Atomics.add(control, CONTROL_READY, 1);
Atomics.notify(control, CONTROL_READY);
for (;;) {
  Atomics.wait(control, CONTROL_GENERATION, seen);
  seen = Atomics.load(control, CONTROL_GENERATION);
  const command = Atomics.load(control, CONTROL_COMMAND);
  if (command === COMMAND_EXIT) break;
  passBlocks(functions, setup.layout, setup.firstBlock, setup.endBlock, command === COMMAND_FIRST_PASS);
  Atomics.add(control, CONTROL_DONE, 1);
  Atomics.notify(control, CONTROL_DONE);
}
parentPort?.close();
