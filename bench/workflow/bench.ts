/**
 * The workflow benchmark: `grooviest run` against the PySpark + Hyperopt +
 * MLflow reference (reference_workflow.py) on the same input, logging to the
 * same local MLflow server, alternating sides, after a warm-up, for several
 * repetitions. Writes the results to bench/workflow/results/workflow.json and
 * the "Whole workflow" section of BENCHMARKS.md (between its markers).
 *
 * Usage: npm run bench:workflow -- [--repetitions 5] [--warmups 1]
 *        [--inputs discographies,tidytuesday] [--tidytuesday-repetitions N] [--no-markdown]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { startMlflowServer } from '../../test/support/mlflow-server.js';
import { DISCOGRAPHIES, TIDYTUESDAY, repoRoot, sharedData } from '../../test/support/shared-data.js';
import { runSide, type Side, type SideResult } from './sides.js';
import { workflowSection, writeWorkflowSection, type WorkflowDocument } from './section.js';

/** One input's measurements. */
export interface InputResult {
  name: string;
  path: string;
  warmups: SideResult[];
  repetitions: { grooviest: SideResult; pyspark: SideResult; ratio: number; local?: SideResult }[];
}

/** Options of {@link runWorkflowBench}. */
export interface WorkflowBenchOptions {
  inputs: { name: string; path: string; repetitions: number }[];
  warmups: number;
  maxEvals?: number;
  /** Called after every run, for progress output. */
  onRun?: (input: string, label: string, result: SideResult) => void;
}

/** Runs the benchmark on every input with one MLflow server for both sides. */
export async function runWorkflowBench(options: WorkflowBenchOptions): Promise<InputResult[]> {
  const server = await startMlflowServer();
  const results: InputResult[] = [];
  try {
    for (const input of options.inputs) {
      const side = (which: Side) => runSide(which, { input: input.path, trackingUri: server.url, experiment: 'workflow-bench', maxEvals: options.maxEvals });
      const result: InputResult = { name: input.name, path: input.path, warmups: [], repetitions: [] };
      // The warm-up (operating system file cache, MLflow server) runs before the first input only.
      for (let i = 0; i < (results.length === 0 ? options.warmups : 0); i++) {
        for (const which of ['grooviest', 'pyspark'] as Side[]) {
          const run = await side(which);
          result.warmups.push(run);
          options.onRun?.(input.name, `warm-up ${i + 1}`, run);
        }
      }
      for (let i = 0; i < input.repetitions; i++) {
        // Alternate which side goes first, so neither always runs right after the other.
        const order: Side[] = i % 2 === 0 ? ['grooviest', 'pyspark'] : ['pyspark', 'grooviest'];
        const runs = {} as Record<Side, SideResult>;
        // grooviest with its local store only comes last: it shows what the MLflow server's requests cost.
        for (const which of [...order, 'grooviest-local'] as Side[]) {
          runs[which] = await side(which);
          options.onRun?.(input.name, `repetition ${i + 1}`, runs[which]);
        }
        result.repetitions.push({ grooviest: runs.grooviest, pyspark: runs.pyspark, ratio: runs.pyspark.wallMs / runs.grooviest.wallMs, local: runs['grooviest-local'] });
      }
      results.push(result);
    }
  } finally {
    await server.stop();
  }
  return results;
}

function machine(): Record<string, string> {
  const java = execFileSync('sh', ['-c', 'java -version 2>&1 | head -1'], { encoding: 'utf8' }).trim();
  const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return {
    cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    grooviest: packageJson.version,
    java,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repetitions: { type: 'string', default: '5' },
      warmups: { type: 'string', default: '1' },
      inputs: { type: 'string', default: 'discographies,tidytuesday' },
      'tidytuesday-repetitions': { type: 'string' },
      'max-evals': { type: 'string', default: '10' },
      'no-markdown': { type: 'boolean', default: false },
      'markdown-only': { type: 'boolean', default: false },
    },
  });
  const dir = join(repoRoot, 'bench', 'workflow', 'results');
  const agreementPath = join(dir, 'agreement.md');
  const agreement = existsSync(agreementPath) ? readFileSync(agreementPath, 'utf8') : undefined;
  if (values['markdown-only']) {
    // Re-renders the section from the last run, e.g. after the agreement study.
    const saved = JSON.parse(readFileSync(join(dir, 'workflow.json'), 'utf8')) as WorkflowDocument;
    await writeWorkflowSection(workflowSection({ ...saved, agreement }));
    return;
  }
  const repetitions = Number(values.repetitions);
  const known: Record<string, { name: string; path: string; repetitions: number }> = {
    discographies: { name: DISCOGRAPHIES, path: sharedData(DISCOGRAPHIES), repetitions },
    tidytuesday: { name: TIDYTUESDAY, path: sharedData(TIDYTUESDAY), repetitions: Number(values['tidytuesday-repetitions'] ?? repetitions) },
  };
  const inputs = values.inputs!.split(',').map((name) => {
    const input = known[name.trim()];
    if (input) return input;
    if (existsSync(name)) return { name: basename(name), path: name, repetitions };
    throw new Error(`unknown input ${JSON.stringify(name)} (use discographies, tidytuesday or a file path)`);
  });
  const command = `npm run bench:workflow -- ${process.argv.slice(2).join(' ')}`.trim();
  const startedAt = new Date().toISOString();
  const results = await runWorkflowBench({
    inputs,
    warmups: Number(values.warmups),
    maxEvals: Number(values['max-evals']),
    onRun: (input, label, run) =>
      process.stderr.write(`${input} ${label} ${run.side}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.peakMiB.toFixed(0)} MiB, best k ${run.bestK}, load ${run.loadAverage.toFixed(1)}\n`),
  });
  const document: WorkflowDocument = { agreement, startedAt, finishedAt: new Date().toISOString(), command, machine: machine(), results };
  mkdirSync(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'workflow.json'), JSON.stringify(document, null, 2) + '\n');
  const section = workflowSection(document);
  if (!values['no-markdown']) await writeWorkflowSection(section);
  process.stdout.write(section + '\n');
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
