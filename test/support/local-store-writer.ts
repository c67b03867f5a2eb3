/**
 * A separate process that logs to a local tracking store, for tests of two
 * processes writing at once. Usage: node local-store-writer.js DIR NAME COUNT
 */
import { TrackingClient } from '../../src/tracking/client.js';

const [dir, runName, count] = process.argv.slice(2);
const client = TrackingClient.open({ trackingDir: dir, experimentName: 'concurrent' });
const run = await client.startRun({ runName });
for (let step = 0; step < Number(count); step += 1) {
  await run.logMetric('value', step, { step });
  await run.setTag('last_step', String(step));
}
await run.logParam('writer', runName);
await run.end();
await client.close();
process.stdout.write(run.runId + '\n');
