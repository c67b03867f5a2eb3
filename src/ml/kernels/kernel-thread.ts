/**
 * A kernel worker thread of {@link KernelThreads}: instantiates the kernels
 * on the shared memory, then for each wake-up takes its job from its port,
 * runs its calls (or claims calls of a shared list) and signals completion.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CONTROL_DONE, CONTROL_FAILED, CONTROL_GENERATION, CONTROL_STARTED, runCalls, runClaimedCalls, type ThreadJob, type ThreadSetup } from './threads.js';
import { Kernels } from './wasm.js';

const setup = workerData as ThreadSetup;
const control = new Int32Array(setup.control);
const { functions } = new Kernels(setup.module, setup.memory);

let seen = Atomics.load(control, CONTROL_GENERATION);
Atomics.store(control, CONTROL_STARTED + setup.index, 1);
Atomics.notify(control, CONTROL_STARTED + setup.index);
let running = true;
while (running) {
  Atomics.wait(control, CONTROL_GENERATION, seen);
  seen = Atomics.load(control, CONTROL_GENERATION);
  for (let message = receiveMessageOnPort(setup.port); message !== undefined; message = receiveMessageOnPort(setup.port)) {
    const job = message.message as ThreadJob;
    if ('exit' in job) {
      running = false;
      break;
    }
    try {
      if ('claimed' in job) runClaimedCalls(functions, job.claimed, control);
      else runCalls(functions, job.calls);
    } catch {
      // The calling thread raises the error: this thread only reports that its share failed.
      Atomics.add(control, CONTROL_FAILED, 1);
    }
    Atomics.add(control, CONTROL_DONE, 1);
    Atomics.notify(control, CONTROL_DONE);
  }
}
setup.port.close();
