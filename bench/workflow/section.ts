/**
 * The "Whole workflow" section of BENCHMARKS.md, generated from a run of the
 * workflow benchmark and written between `<!-- workflow:start -->` and
 * `<!-- workflow:end -->` (appended at the end when the markers are absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { DISCOGRAPHIES, repoRoot } from '../../test/support/shared-data.js';
import type { InputResult } from './bench.js';
import type { SideResult } from './sides.js';

const OPEN = '<!-- workflow:start -->';
const CLOSE = '<!-- workflow:end -->';

/** The benchmark's result document (bench/workflow/results/workflow.json). */
export interface WorkflowDocument {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Record<string, string>;
  results: InputResult[];
  /** Agreement study results, when bench/workflow/results/agreement.json exists. */
  agreement?: string;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const range = (values: number[], format: (value: number) => string) => `${format(Math.min(...values))} – ${format(Math.max(...values))}`;
const ratio = (value: number) => `${value.toFixed(1)}×`;
/** Formats the load average and the CPU busy share before a run (results recorded before the wait have no share). */
const machineAt = (run: SideResult) =>
  run.busyShare === undefined || Number.isNaN(run.busyShare) ? run.loadAverage.toFixed(1) : `${run.loadAverage.toFixed(1)}, ${(run.busyShare * 100).toFixed(0)}%`;

function phaseTable(grooviest: SideResult[], pyspark: SideResult[]): string[] {
  const phases = ['imports', 'startup', 'load', 'explore', 'search', 'final_fit', 'outputs', 'report', 'tracking'];
  const cell = (runs: SideResult[], phase: string) => {
    const values = runs.map((run) => run.phases[phase]).filter((value) => value !== undefined);
    return values.length === 0 ? '—' : seconds(median(values));
  };
  const rows = phases.map((phase) => `| ${phase} | ${cell(grooviest, phase)} | ${cell(pyspark, phase)} |`);
  const accounted = (runs: SideResult[]) => seconds(median(runs.map((run) => Object.values(run.phases).reduce((sum, value) => sum + value, 0))));
  const unaccounted = (runs: SideResult[]) => seconds(median(runs.map((run) => run.wallMs - Object.values(run.phases).reduce((sum, value) => sum + value, 0))));
  return [
    '| phase (median) | grooviest | PySpark |',
    '|---|---:|---:|',
    ...rows,
    `| sum of phases | ${accounted(grooviest)} | ${accounted(pyspark)} |`,
    `| process start/exit outside the phases | ${unaccounted(grooviest)} | ${unaccounted(pyspark)} |`,
  ];
}

/** Says where grooviest's wall time goes, from the medians of its phases. */
function shares(runs: SideResult[]): string {
  const wall = median(runs.map((run) => run.wallMs));
  const phase = (name: string) => median(runs.map((run) => run.phases[name] ?? 0));
  const outside = median(runs.map((run) => run.wallMs - sum(Object.values(run.phases))));
  const parts: [string, number][] = [
    ['search (cross-validated KMeans fits, silhouettes, child runs logged to MLflow)', phase('search')],
    ['report (Vega-Lite charts rendered to SVG, HTML)', phase('report')],
    ['process start, module loading and exit (outside the phases)', outside],
    ['load (DuckDB read, Windows-1252 transcoding)', phase('load')],
    ['tracking of settings, model and artifacts', phase('tracking')],
    ['explore, final fit and outputs', phase('explore') + phase('final_fit') + phase('outputs')],
  ];
  parts.sort((a, b) => b[1] - a[1]);
  return `Where grooviest's median ${seconds(wall)} goes: ${parts.map(([name, ms]) => `${name} ${((100 * ms) / wall).toFixed(0)}%`).join('; ')}.`;
}

/** Compares grooviest with and without the MLflow server, when the run measured both. */
function localStoreLine(result: InputResult): string[] {
  const local = result.repetitions.flatMap((rep) => (rep.local ? [rep.local] : []));
  if (local.length === 0) return [];
  const served = median(result.repetitions.map((rep) => rep.grooviest.wallMs));
  const alone = median(local.map((run) => run.wallMs));
  const pyspark = median(result.repetitions.map((rep) => rep.pyspark.wallMs));
  return [
    `The same grooviest run with its local tracking store only (no MLflow server; run after each pair): median ${seconds(alone)}, ` +
      `${ratio(pyspark / alone)} faster than the PySpark median. The server's requests (answered one at a time: \`--workers 1\`) ` +
      `add ${seconds(served - alone)} to grooviest's wall time; the PySpark side sends its own to the same server.`,
    '',
  ];
}

function inputSection(result: InputResult): string[] {
  const grooviest = result.repetitions.map((rep) => rep.grooviest);
  const pyspark = result.repetitions.map((rep) => rep.pyspark);
  const ratios = result.repetitions.map((rep) => rep.ratio);
  const lines = [
    `### ${result.name}`,
    '',
    `${result.repetitions.length} repetition(s), ${result.warmups.length / 2} warm-up pair(s) before them` +
      `${result.warmups.length === 0 ? ' (the warm-up runs before the first input only)' : ''}.`,
    '',
    '| repetition | grooviest wall | PySpark wall | PySpark / grooviest | grooviest peak memory | PySpark peak memory | machine at start: load average, CPU busy (grooviest / PySpark) |',
    '|---:|---:|---:|---:|---:|---:|---|',
    ...result.repetitions.map((rep, i) =>
      `| ${i + 1} | ${seconds(rep.grooviest.wallMs)} | ${seconds(rep.pyspark.wallMs)} | ${ratio(rep.ratio)} | ${rep.grooviest.peakMiB.toFixed(0)} MiB | ${rep.pyspark.peakMiB.toFixed(0)} MiB | ${machineAt(rep.grooviest)} / ${machineAt(rep.pyspark)} |`),
    `| **median** | **${seconds(median(grooviest.map((run) => run.wallMs)))}** | **${seconds(median(pyspark.map((run) => run.wallMs)))}** | **${ratio(median(ratios))}** (range ${range(ratios, ratio)}) | ${median(grooviest.map((run) => run.peakMiB)).toFixed(0)} MiB | ${median(pyspark.map((run) => run.peakMiB)).toFixed(0)} MiB | |`,
    '',
    ...localStoreLine(result),
    shares(grooviest),
    '',
    ...phaseTable(grooviest, pyspark),
    '',
    '| result | grooviest | PySpark |',
    '|---|---|---|',
    `| best k (each repetition) | ${grooviest.map((run) => run.bestK).join(', ')} | ${pyspark.map((run) => run.bestK).join(', ')} |`,
    `| final silhouette (first repetition) | ${grooviest[0].finalSilhouette.toFixed(6)} | ${pyspark[0].finalSilhouette.toFixed(6)} |`,
    `| k tried, trial by trial (first repetition) | ${grooviest[0].kTried.join(', ')} | ${pyspark[0].kTried.join(', ')} |`,
    `| sum of k over the trials (KMeans work grows with k) | ${sum(grooviest[0].kTried)} | ${sum(pyspark[0].kTried)} |`,
    `| mean CV silhouette per trial (first repetition) | ${grooviest[0].trialSilhouettes.map((value) => value.toFixed(4)).join(', ')} | ${pyspark[0].trialSilhouettes.map((value) => value.toFixed(4)).join(', ')} |`,
    `| same k sequence in every repetition | ${grooviest.every((run) => run.kTried.join() === grooviest[0].kTried.join()) ? 'yes' : 'no'} | ${pyspark.every((run) => run.kTried.join() === pyspark[0].kTried.join()) ? 'yes' : 'no'} |`,
    '',
  ];
  return lines;
}

/** Renders the section's markdown from a result document. */
export function workflowSection(document: WorkflowDocument): string {
  const discographies = document.results.find((result) => result.name === DISCOGRAPHIES);
  const pysparkVersions = document.results[0]?.repetitions[0]?.pyspark.versions ?? {};
  const lines = [
    '## Whole workflow: grooviest run vs PySpark + Hyperopt + MLflow',
    '',
    'The same experiment on both sides, each in a fresh process (cold; neither side has a warm mode that carries state between runs: ' +
      '"warm-up" only warms the operating system\'s file cache and the MLflow server): read the file, the three exploration queries, ' +
      'a TPE search over k in 3..19 (10 evaluations, seed 42) of the 3-fold cross-validated silhouette of VectorAssembler → ' +
      'StandardScaler(withMean, withStd) → KMeans(seed 42), one parent run `k_means` plus one child run per trial logged to the ' +
      'same local MLflow server (SQLite backend, proxied artifacts), the final fit on all tracks, the model and predictions saved ' +
      'and logged as artifacts. PySpark side: `bench/workflow/reference_workflow.py`, `local[2]`, 2 partitions, `PYTHONHASHSEED=0`, ' +
      'the tracks cached once after loading, Hyperopt `fmin` + `tpe.suggest` with `hp.randint(\'k_value\', 3, 20)`. ' +
      'Only grooviest also writes the HTML report (phase `report`: Vega-Lite charts rendered to SVG), fetches album covers ' +
      '(inside `explore`; they fail fast offline), hashes the input and writes trials.json and summary.json. ' +
      'Wall time runs from spawning the process to its exit; peak memory is the largest sum of the resident sets of the whole ' +
      'process tree (Python, the JVM and Python workers; Node), sampled from /proc every 100 ms. ' +
      'Before each run the driver waits until the cores were less than 10% busy for half a second (at most 20 s), so no run starts while ' +
      'the previous one\'s processes still use the cores; the last column shows the 1-minute load average, which still counts the previous ' +
      'runs, and the busy share of that last half second. ' +
      'Both searches draw k at random (TPE\'s 20-trial start-up), but grooviest\'s generator does not replay NumPy\'s, so the two sides ' +
      'try different k with the same seed; the sum of k tried shows that the KMeans work is comparable.',
    '',
    `Machine: ${document.machine.cpus}, ${document.machine.memory}. Versions: grooviest ${document.machine.grooviest}, Node ${document.machine.node}; ` +
      `PySpark ${pysparkVersions.pyspark ?? '?'}, Hyperopt ${pysparkVersions.hyperopt ?? '?'}, MLflow ${pysparkVersions.mlflow ?? '?'} (server and client), ` +
      `Python ${pysparkVersions.python ?? '?'}, ${document.machine.java}. Run ${document.startedAt} – ${document.finishedAt}.`,
    '',
    'Reproduce:',
    '',
    '```',
    document.command,
    '```',
    '',
  ];
  if (discographies) {
    lines.push(`End-to-end speed-up (36-artist file, median, cold): ${median(discographies.repetitions.map((rep) => rep.ratio)).toFixed(1)}×`, '');
  }
  for (const result of document.results) lines.push(...inputSection(result));
  if (document.agreement) lines.push(document.agreement.trim(), '');
  return lines.join('\n').trim();
}

/** Replaces (or appends) the section between its markers in BENCHMARKS.md. */
export async function writeWorkflowSection(markdown: string): Promise<void> {
  const path = join(repoRoot, 'BENCHMARKS.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `${OPEN}\n${markdown.trim()}\n${CLOSE}`;
  const start = text.indexOf(OPEN);
  const end = text.indexOf(CLOSE);
  if (start >= 0 && end > start) text = text.slice(0, start) + block + text.slice(end + CLOSE.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  await writeFileAtomic(path, text);
}
