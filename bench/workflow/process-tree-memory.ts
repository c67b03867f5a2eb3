/**
 * Peak resident memory of a whole process tree (a Node process, or Python
 * with its JVM and Python workers), sampled from /proc. Every `intervalMs`
 * the resident set sizes of the root and its descendants are summed, and
 * the largest sum is kept. Linux only.
 */
import { readFileSync, readdirSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function residentKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Returns the process ids of `root` and all its descendants alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** Samples a process tree until stopped. */
export class TreeMemorySampler {
  private peakKiB = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  /** Starts sampling the tree under `root` every `intervalMs` (default 50 ms). */
  constructor(private readonly root: number, intervalMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const total = processTree(this.root).reduce((sum, pid) => sum + residentKiB(pid), 0);
    if (total > this.peakKiB) this.peakKiB = total;
    this.samples += 1;
  }

  /** Stops sampling and returns the peak in MiB and the sample count. */
  stop(): { peakMiB: number; samples: number } {
    clearInterval(this.timer);
    return { peakMiB: this.peakKiB / 1024, samples: this.samples };
  }
}
