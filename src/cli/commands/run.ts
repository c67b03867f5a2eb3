/** `grooviest run`: the whole experiment in one command. */
import { Command, Option } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OnEvent } from '../../contracts/events.js';
import { DEFAULT_FEATURE_COLUMNS } from '../../contracts/track-table.js';
import { InputError } from '../../errors.js';
import { TRACKS_TABLE, type TrackFrame } from '../../frame/engine.js';
import { RUN_DEFAULTS, settingsAsParams, validateSettings, type RunSettings } from '../../experiment/settings.js';
import { checkKRange, runExperiment } from '../../experiment/run-experiment.js';
import type { RunSummary } from '../../experiment/summary.js';
import { cacheDir } from '../../paths.js';
import { RunHandle, TrackingClient, resolveTrackingSettings } from '../../tracking/index.js';
import { addCommonOptions, createContext, type CommandContext, type CommonFlags } from '../context.js';
import { canonicalColumnOf } from '../../frame/layouts.js';
import { addInputOptions, loadFromFlags, type InputFlags } from '../load-tracks.js';
import { renderResult } from '../output.js';

interface RunFlags extends CommonFlags, InputFlags {
  features?: string;
  kMin: string;
  kMax: string;
  maxEvals: string;
  folds: string;
  algo: 'tpe' | 'rand';
  seed: string;
  kmeansSeed: string;
  parallelism: string;
  nStartupJobs: string;
  handleInvalid: 'error' | 'skip' | 'keep';
  trackingDir?: string;
  experiment?: string;
  runName: string;
  outDir?: string;
  reportArtists: string;
  resume?: string;
  dryRun?: boolean;
  logReferenceAlias?: boolean;
  covers: boolean;
}

function number(value: string, flag: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InputError(`invalid ${flag} ${JSON.stringify(value)} (use a number)`);
  return parsed;
}

function settingsFrom(flags: RunFlags, experiment: string): RunSettings {
  const settings: RunSettings = {
    ...RUN_DEFAULTS,
    features: flags.features === undefined ? RUN_DEFAULTS.features : flags.features.split(',').map((name) => name.trim()).filter((name) => name !== ''),
    kMin: number(flags.kMin, '--k-min'),
    kMax: number(flags.kMax, '--k-max'),
    maxEvals: number(flags.maxEvals, '--max-evals'),
    folds: number(flags.folds, '--folds'),
    algo: flags.algo,
    seed: number(flags.seed, '--seed'),
    kmeansSeed: number(flags.kmeansSeed, '--kmeans-seed'),
    parallelism: number(flags.parallelism, '--parallelism'),
    nStartupJobs: number(flags.nStartupJobs, '--n-startup-jobs'),
    dedupe: flags.dedupe as RunSettings['dedupe'],
    dropSpoken: Boolean(flags.dropSpoken),
    handleInvalid: flags.handleInvalid,
    experiment,
    runName: flags.runName,
    reportArtists: number(flags.reportArtists, '--report-artists'),
    referenceMetricAlias: Boolean(flags.logReferenceAlias),
  };
  validateSettings(settings);
  return settings;
}

/**
 * Resolves feature names case-insensitively to the table's columns and checks
 * they exist and are numeric, before any run is created.
 */
async function checkFeatureColumns(frame: TrackFrame, settings: RunSettings): Promise<void> {
  const described = await frame.sql(`DESCRIBE ${TRACKS_TABLE}`);
  const types = new Map(described.rows.map((row) => [String(row.column_name), String(row.column_type)]));
  const byLower = new Map([...types.keys()].map((name) => [name.toLowerCase(), name]));
  const missing: string[] = [];
  settings.features = settings.features.map((name) => {
    const column = types.has(name) ? name : byLower.get(name.toLowerCase());
    if (column === undefined) missing.push(name);
    return column ?? name;
  });
  if (missing.length > 0) {
    // A source column name the loader renamed, such as track_name, gets the name to use instead.
    const renamed = missing
      .map((name) => [name, canonicalColumnOf(name)] as const)
      .filter(([, canonical]) => canonical !== undefined && types.has(canonical))
      .map(([name, canonical]) => `${name} is loaded as ${canonical}`);
    const hint = renamed.length > 0 ? ` (${renamed.join(', ')})` : '';
    throw new InputError(
      `feature column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the tracks${hint}; columns: ${[...types.keys()].join(', ')}; fix --features`,
    );
  }
  const numeric = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|INTEGER|BIGINT|SMALLINT|TINYINT|HUGEINT|UINTEGER|UBIGINT|USMALLINT|UTINYINT|BOOLEAN)$/;
  const text = settings.features.filter((name) => !numeric.test(types.get(name) ?? ''));
  if (text.length > 0) {
    throw new InputError(`feature column${text.length > 1 ? 's' : ''} ${text.map((name) => `${name} (${types.get(name)})`).join(', ')} not numeric; choose numeric columns with --features`);
  }
}

/** Warns when `outDir` contains another run's outputs, which this run replaces. */
function warnOnReusedOutDir(outDir: string, onEvent: OnEvent): void {
  const summaryPath = join(outDir, 'summary.json');
  if (!existsSync(summaryPath)) return;
  let previous = 'an earlier run';
  try {
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { tracking?: { parent_run_id?: string } };
    if (summary.tracking?.parent_run_id) previous = `run ${summary.tracking.parent_run_id}`;
  } catch {
    // An unreadable summary still means the folder was used before.
  }
  onEvent({
    type: 'warning',
    code: 'out-dir-reused',
    message: `${outDir} contains the outputs of ${previous}, and this run replaces them (the tracked artifacts are kept); pass another --out-dir to keep both`,
    details: { outDir },
  });
}

/**
 * Reopens an interrupted parent run so a resumed search logs into it. A
 * finished run, or one logged with other settings, is rejected before
 * anything changes, so a mistyped flag cannot mark a finished run FAILED.
 */
function reopenRun(client: TrackingClient, runId: string, settings: RunSettings): RunHandle {
  const id = client.local.resolveRunId(runId);
  const info = client.local.getRunInfo(id);
  if (info.status === 'FINISHED') {
    throw new InputError(`cannot resume ${runId}: run ${id} already finished; start a new run instead of --resume`);
  }
  const logged = new Map(client.local.getRun(id).params.map((param) => [param.key, param.value]));
  const changed = Object.entries(settingsAsParams(settings))
    .filter(([key, value]) => logged.has(key) && logged.get(key) !== String(value))
    .map(([key, value]) => `${key} was ${logged.get(key)}, now ${String(value)}`);
  if (changed.length > 0) {
    throw new InputError(`cannot resume ${runId} with other settings (${changed.join('; ')}); pass the same flags as the first time`);
  }
  client.local.updateRun(id, 'RUNNING');
  return new RunHandle(id, info.experimentId, info.runName, client);
}

function printSummary(context: CommandContext, summary: RunSummary): void {
  if (context.format === 'json') {
    context.printJson(summary);
    return;
  }
  const failed = summary.trials.filter((trial) => trial.status !== 'ok').length;
  const rows = [
    { item: 'best k', value: summary.best_k },
    { item: 'final silhouette', value: summary.final_silhouette.toFixed(4) },
    { item: 'k tried', value: summary.k_tried.join(', ') },
    { item: 'trials', value: `${summary.trials.length}${failed ? ` (${failed} failed)` : ''}` },
    { item: 'tracks clustered', value: summary.data.rows_clustered },
    { item: 'cluster sizes', value: summary.clusters.map((cluster) => cluster.size).join(', ') },
    { item: 'parent run', value: summary.tracking.parent_run_id },
    { item: 'report', value: summary.outputs.report },
    { item: 'time (s)', value: (Object.values(summary.timings_ms).reduce((sum, ms) => sum + ms, 0) / 1000).toFixed(1) },
  ];
  if (context.format === 'csv') context.printTable({ columns: ['item', 'value'], rows });
  else {
    context.renderer.close();
    process.stdout.write(renderResult({ columns: ['item', 'value'], rows }, 'table', 200) + '\n');
  }
}

/** Registers `grooviest run`. */
export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description(
      'Run the whole experiment: load tracks, explore, search k with TPE over 3-fold cross-validated silhouette, ' +
        'fit the final VectorAssembler → StandardScaler → KMeans pipeline, track everything and write a report.',
    )
    .option('--features <names>', `feature columns, comma-separated (default: ${RUN_DEFAULTS.features.join(',')})`)
    .option('--k-min <k>', 'smallest k tried, inclusive', String(RUN_DEFAULTS.kMin))
    .option('--k-max <k>', 'largest k tried, inclusive (the reference randint(3, 20) is 3..19)', String(RUN_DEFAULTS.kMax))
    .option('--max-evals <n>', 'trials of the search', String(RUN_DEFAULTS.maxEvals))
    .option('--folds <n>', 'cross-validation folds', String(RUN_DEFAULTS.folds))
    .addOption(new Option('--algo <name>', 'search algorithm: tpe (Hyperopt defaults) or rand').choices(['tpe', 'rand']).default(RUN_DEFAULTS.algo))
    .option('--seed <n>', 'seed of the search and of the fold assignment', String(RUN_DEFAULTS.seed))
    .option('--kmeans-seed <n>', 'seed of KMeans (the reference used 42)', String(RUN_DEFAULTS.kmeansSeed))
    .option('--parallelism <n>', 'trials evaluated at once; results are exactly reproducible only at 1', String(RUN_DEFAULTS.parallelism))
    .option('--n-startup-jobs <n>', 'TPE trials drawn at random before the model is used (Hyperopt: 20)', String(RUN_DEFAULTS.nStartupJobs))
    .addOption(new Option('--handle-invalid <rule>', 'null or NaN features: error, or skip the row (keep, Spark\'s third rule, fails on them too: KMeans cannot cluster NaN)').choices(['error', 'skip', 'keep']).default('error'))
    .option('--tracking-dir <dir>', 'folder of the local tracking store (default ./.grooviest); MLFLOW_TRACKING_URI also sends runs to an MLflow server')
    .option('--experiment <name>', 'MLflow experiment (default MLFLOW_EXPERIMENT_NAME or Default)')
    .option('--run-name <name>', 'name of the parent run', RUN_DEFAULTS.runName)
    .option('--out-dir <dir>', 'folder of the outputs (default ./grooviest-out/<run id>)')
    .option('--report-artists <n>', 'artists shown in the report, those with the most tracks first', String(RUN_DEFAULTS.reportArtists))
    .option('--resume <run-id>', 'continue an interrupted run from its saved trials (same flags as the first time)')
    .option('--no-covers', 'do not fetch album cover images for the report')
    .option('--log-reference-alias', 'also log the silhouette as "silouhette", the reference notebook\'s metric name')
    .option('--dry-run', 'print the plan (data, columns, search space, tracking target) and exit');
  addInputOptions(command);
  addCommonOptions(command);

  command.action(async (flags: RunFlags) => {
    const context = createContext(flags);
    const tracking = resolveTrackingSettings({ trackingDir: flags.trackingDir, experiment: flags.experiment });
    const settings = settingsFrom(flags, tracking.experimentName);
    const onEvent = context.renderer.onEvent;

    const loadStart = performance.now();
    // Only the audio features the run clusters on must be in every file.
    const chosen = new Set(settings.features.map((name) => name.toLowerCase()));
    const requiredFeatures = DEFAULT_FEATURE_COLUMNS.filter((name) => chosen.has(name));
    const frame = await loadFromFlags(flags, context, { requiredFeatures });
    let loadMs = performance.now() - loadStart;

    try {
      await checkFeatureColumns(frame, settings);

      if (flags.outDir !== undefined && existsSync(flags.outDir) && !statSync(flags.outDir).isDirectory()) {
        throw new InputError(`invalid --out-dir ${flags.outDir}: it is a file; pass a folder (it is created when missing)`);
      }

      // Built before any run is created (and for --dry-run), so invalid features, folds or k ranges leave no failed run behind.
      const datasetStart = performance.now();
      const dataset = await frame.toDataset(settings.features, settings.handleInvalid, onEvent);
      checkKRange(dataset, settings);
      loadMs += performance.now() - datasetStart;

      if (flags.dryRun) {
        const rows = await frame.count();
        const artists = Number((await frame.sql(`SELECT count(DISTINCT artist) AS n FROM ${TRACKS_TABLE}`)).rows[0].n);
        const plan = {
          data: { inputs: flags.input, files: frame.summary.files.length, rows, artists },
          features: settings.features,
          pipeline: 'VectorAssembler → StandardScaler(withMean, withStd) → KMeans(k-means||, maxIter 20, tol 1e-4)',
          space: `k_value = randint(${settings.kMin}, ${settings.kMax + 1}), i.e. k in ${settings.kMin}..${settings.kMax}`,
          search: `${settings.algo}, ${settings.maxEvals} evaluations, seed ${settings.seed}, ${settings.folds}-fold cross-validated silhouette (squared Euclidean), KMeans seed ${settings.kmeansSeed}`,
          tracking: { local_store: tracking.trackingDir, server: tracking.trackingUri ? new URL(tracking.trackingUri).origin : null, experiment: settings.experiment, run_name: settings.runName },
        };
        if (context.format === 'json') context.printJson(plan);
        else {
          context.renderer.close();
          const rows = Object.entries(plan).map(([item, value]) => ({ item, value: typeof value === 'string' ? value : JSON.stringify(value) }));
          process.stdout.write(renderResult({ columns: ['item', 'value'], rows }, 'table', 240) + '\n');
        }
        return;
      }

      const client = TrackingClient.open({ trackingDir: tracking.trackingDir, trackingUri: tracking.trackingUri, experimentName: settings.experiment, truncate: tracking.truncate, onEvent });
      const parent = flags.resume ? reopenRun(client, flags.resume, settings) : await client.startRun({ experiment: settings.experiment, runName: settings.runName });
      const outDir = resolve(flags.outDir ?? join('grooviest-out', parent.runId));
      if (flags.resume && !existsSync(join(outDir, 'trials.json'))) {
        throw new InputError(`cannot resume ${flags.resume}: no trials.json in ${outDir}; pass the --out-dir of the interrupted run`);
      }
      context.notice(`run ${parent.runId} (${settings.runName}) → ${outDir}`);
      if (!flags.resume) warnOnReusedOutDir(outDir, onEvent);

      // Ctrl-C ends the open runs KILLED; finished trials stay in trials.json for --resume.
      const interrupt = () => {
        process.stderr.write(`\ninterrupted: ending run ${parent.runId} as KILLED; continue with --resume ${parent.runId}\n`);
        Promise.allSettled([client.endOpenRuns('KILLED'), parent.end('KILLED')]).finally(() => process.exit(130));
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);

      try {
        const summary = await runExperiment({ frame, settings, client, parent, outDir, loadMs, inputNames: flags.input ?? [], cacheDir: cacheDir(), covers: flags.covers, dataset, onEvent });
        await parent.end('FINISHED');
        printSummary(context, summary);
      } catch (error) {
        await client.endOpenRuns('FAILED');
        await parent.end('FAILED');
        throw error;
      } finally {
        process.removeListener('SIGINT', interrupt);
        process.removeListener('SIGTERM', interrupt);
        await client.close();
      }
    } finally {
      await frame.close();
    }
  });
}
