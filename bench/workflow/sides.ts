/**
 * One timed run of one side of the workflow benchmark: `grooviest run --json`
 * (Node) or `reference_workflow.py` (PySpark + Hyperopt + MLflow), each in a
 * fresh process, so every run is cold. Wall time is measured from spawn to
 * exit; peak memory over the whole process tree (the JVM included).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlflowEnv } from '../../test/support/mlflow-server.js';
import { referencePython, referenceScriptEnv } from '../../test/support/reference-env.js';
import { cliPath } from '../../test/support/cli.js';
import { repoRoot } from '../../test/support/shared-data.js';
import { TreeMemorySampler } from './process-tree-memory.js';
import { waitForQuietMachine } from './quiet-machine.js';

/** The two sides, and grooviest with its local tracking store only (no MLflow server), which shows the server's share. */
export type Side = 'grooviest' | 'grooviest-local' | 'pyspark';

/** Measurements of one run of one side. */
export interface SideResult {
  side: Side;
  /** Spawn to exit, in ms. */
  wallMs: number;
  /** Peak resident memory of the process tree, in MiB. */
  peakMiB: number;
  /** Phase timings the side reported, in ms. */
  phases: Record<string, number>;
  bestK: number;
  finalSilhouette: number;
  kTried: number[];
  /** Mean CV silhouette of each trial, in trial order. */
  trialSilhouettes: number[];
  /** 1-minute load average when the run started. */
  loadAverage: number;
  /** Share of CPU time the cores were busy in the half second before the run started. */
  busyShare: number;
  versions: Record<string, string>;
}

/** Inputs of {@link runSide}. */
export interface SideOptions {
  input: string;
  /** MLflow server both sides log to (`http://127.0.0.1:PORT`). */
  trackingUri: string;
  experiment: string;
  /** Search and fold seed; default 42. */
  seed?: number;
  /** Search evaluations; default 10. */
  maxEvals?: number;
}

/** Path of the Python reference workflow. */
export const REFERENCE_SCRIPT = join(repoRoot, 'bench', 'workflow', 'reference_workflow.py');
/** Path of the grooviest CLI. */
export const GROOVIEST_BIN = cliPath;

function commandFor(side: Side, options: SideOptions, workDir: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const seed = String(options.seed ?? 42);
  const maxEvals = String(options.maxEvals ?? 10);
  if (side !== 'pyspark') {
    return {
      command: process.execPath,
      args: [GROOVIEST_BIN, 'run', '-i', options.input, '--json', '--quiet', '--seed', seed, '--max-evals', maxEvals,
        '--experiment', options.experiment, '--tracking-dir', join(workDir, 'store'), '--out-dir', join(workDir, 'out')],
      env: mlflowEnv(side === 'grooviest' ? { MLFLOW_TRACKING_URI: options.trackingUri } : {}),
    };
  }
  return {
    command: referencePython,
    args: [REFERENCE_SCRIPT, '--input', options.input, '--tracking-uri', options.trackingUri, '--experiment', options.experiment,
      '--seed', seed, '--max-evals', maxEvals, '--out-dir', join(workDir, 'out')],
    env: mlflowEnv({ ...referenceScriptEnv(), TMPDIR: workDir }),
  };
}

/** Runs one side once in a fresh process and returns its measurements. */
export async function runSide(side: Side, options: SideOptions): Promise<SideResult> {
  const workDir = mkdtempSync(join(tmpdir(), `workflow-bench-${side}-`));
  const { command, args, env } = commandFor(side, options, workDir);
  const busyShare = await waitForQuietMachine();
  const loadAverage = (await import('node:os')).loadavg()[0];
  try {
    const started = performance.now();
    const child = spawn(command, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = new TreeMemorySampler(child.pid!, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const wallMs = performance.now() - started;
    const { peakMiB } = sampler.stop();
    if (code !== 0) throw new Error(`${side} exited with ${code}: ${stderr.split('\n').slice(-12).join('\n')}`);
    // grooviest prints one indented JSON document; the Python script one JSON line after any library output.
    const result = JSON.parse(side === 'pyspark' ? stdout.trim().split('\n').pop()! : stdout) as Record<string, unknown>;
    const machine = { loadAverage, busyShare };
    return side === 'pyspark' ? fromPySpark(result, wallMs, peakMiB, machine) : fromGrooviest(side, result, wallMs, peakMiB, machine);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function fromGrooviest(side: Side, summary: Record<string, unknown>, wallMs: number, peakMiB: number, machine: Pick<SideResult, 'loadAverage' | 'busyShare'>): SideResult {
  const trials = summary.trials as { k: number; silhouette_mean: number | null }[];
  const versions = summary.versions as Record<string, string>;
  return {
    side,
    wallMs,
    peakMiB,
    phases: summary.timings_ms as Record<string, number>,
    bestK: summary.best_k as number,
    finalSilhouette: summary.final_silhouette as number,
    kTried: summary.k_tried as number[],
    trialSilhouettes: trials.map((trial) => trial.silhouette_mean ?? Number.NaN),
    ...machine,
    versions,
  };
}

function fromPySpark(result: Record<string, unknown>, wallMs: number, peakMiB: number, machine: Pick<SideResult, 'loadAverage' | 'busyShare'>): SideResult {
  const trials = result.trials as { k: number; silhouette: number }[];
  return {
    side: 'pyspark',
    wallMs,
    peakMiB,
    phases: result.timings_ms as Record<string, number>,
    bestK: result.best_k as number,
    finalSilhouette: result.final_silhouette as number,
    kTried: result.k_tried as number[],
    trialSilhouettes: trials.map((trial) => trial.silhouette),
    ...machine,
    versions: result.versions as Record<string, string>,
  };
}
