/**
 * Waits for the machine to be idle before a timed run, so neither side of the
 * benchmark starts while the previous run's processes (the JVM shutting down,
 * the MLflow server finishing its requests) still use the cores.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Busy and total CPU time of all cores since boot, in clock ticks, from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Waits until the cores were busy less than `maxBusyShare` of one `windowMs`
 * window, or until `timeoutMs` passed, and returns the busy share of the last
 * window. Without /proc/stat (outside Linux) it returns NaN at once.
 */
export async function waitForQuietMachine(maxBusyShare = 0.1, windowMs = 500, timeoutMs = 20_000): Promise<number> {
  let share = Number.NaN;
  const deadline = performance.now() + timeoutMs;
  try {
    let before = cpuTimes();
    do {
      await sleep(windowMs);
      const after = cpuTimes();
      share = (after.busy - before.busy) / Math.max(1, after.total - before.total);
      before = after;
    } while (share >= maxBusyShare && performance.now() < deadline);
  } catch {
    return Number.NaN;
  }
  return share;
}
