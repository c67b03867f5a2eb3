/**
 * `grooviest runs list|show|compare|sync|delete`: the runs of the local
 * tracking store, as tables (or `--format json`), and their delivery to an
 * MLflow server.
 */
import { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Run } from '../../tracking/entities.js';
import { SystemTags } from '../../tracking/entities.js';
import { resolveTrackingSettings, type TrackingSettings } from '../../tracking/config.js';
import { LocalStore } from '../../tracking/stores/local.js';
import { RestStore } from '../../tracking/stores/rest.js';
import { syncRuns } from '../../tracking/sync.js';
import { addCommonOptions, createContext, type CommandContext, type CommonFlags } from '../context.js';

interface RunsFlags extends CommonFlags {
  trackingDir?: string;
  experiment?: string;
}

function addTrackingOptions(command: Command): Command {
  return addCommonOptions(command)
    .option('--tracking-dir <dir>', 'folder of the local tracking store (default ./.grooviest, or GROOVIEST_TRACKING_DIR)')
    .option('--experiment <name>', 'only runs of this experiment (default: every experiment)');
}

function openStore(flags: RunsFlags): { store: LocalStore; settings: TrackingSettings } {
  const settings = resolveTrackingSettings({ trackingDir: flags.trackingDir, experiment: flags.experiment });
  return { store: LocalStore.open(settings.trackingDir, { create: false }), settings };
}

function isoTime(milliseconds: number | undefined): string | null {
  return milliseconds === undefined ? null : new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Metric names of a run's silhouette: the final fit's on parent runs, the cross-validated mean on trial runs. */
const SILHOUETTE_METRICS = ['silhouette', 'silhouette_mean'];

function listRuns(flags: RunsFlags & { all?: boolean; nested?: boolean }, context: CommandContext): void {
  const { store } = openStore(flags);
  try {
    const experiments = new Map(store.listExperiments().map((experiment) => [experiment.experimentId, experiment.name]));
    const rows = [];
    for (const info of store.listRuns({ experimentName: flags.experiment, includeDeleted: flags.all })) {
      const parent = store.getTag(info.runId, SystemTags.parentRunId);
      // Trial runs are listed with --nested only; each parent shows how many it has.
      if (parent !== undefined && !flags.nested) continue;
      const run = store.getRun(info.runId);
      const silhouette = SILHOUETTE_METRICS.map((key) => run.metrics.find((metric) => metric.key === key)).find((metric) => metric !== undefined);
      rows.push({
        run_id: info.runId,
        experiment: experiments.get(info.experimentId) ?? info.experimentId,
        run_name: info.runName,
        status: info.status,
        start_time: isoTime(info.startTime),
        duration_s: info.endTime === undefined ? null : (info.endTime - info.startTime) / 1000,
        k: run.params.find((param) => param.key === 'k_value')?.value ?? null,
        silhouette: silhouette?.value ?? null,
        trials: store.childRunIds(info.runId).length,
        input: run.tags.find((tag) => tag.key === 'grooviest.input')?.value ?? null,
        ...(flags.nested ? { parent_run_id: parent ?? null } : {}),
        synced_to: store.remotesOf(info.runId).join(' ') || null,
        ...(flags.all ? { lifecycle_stage: info.lifecycleStage } : {}),
      });
    }
    const columns = ['run_id', 'experiment', 'run_name', 'status', 'start_time', 'duration_s', 'k', 'silhouette', 'trials', 'input'];
    if (flags.nested) columns.push('parent_run_id');
    columns.push('synced_to');
    if (flags.all) columns.push('lifecycle_stage');
    context.printTable({ columns, rows });
  } finally {
    store.close();
  }
}

function showRun(runIdPrefix: string, flags: RunsFlags, context: CommandContext): void {
  const { store } = openStore(flags);
  try {
    const runId = store.resolveRunId(runIdPrefix);
    const run = store.getRun(runId);
    const experiment = store.getExperiment(run.info.experimentId).name;
    const artifacts = store.listArtifacts(runId);
    const children = store.childRunIds(runId);
    const remotes = store.remotesOf(runId).map((remote) => ({ remote, remote_run_id: store.getRemoteRun(remote, runId)!.remoteRunId }));
    if (context.format === 'json') {
      context.printJson({ info: { ...run.info, experiment }, params: run.params, metrics: run.metrics, tags: run.tags, artifacts, children, remotes });
      return;
    }

    const rows: Record<string, unknown>[] = [
      { section: 'info', key: 'run_id', value: runId, step: null },
      { section: 'info', key: 'run_name', value: run.info.runName, step: null },
      { section: 'info', key: 'experiment', value: experiment, step: null },
      { section: 'info', key: 'status', value: run.info.status, step: null },
      { section: 'info', key: 'start_time', value: isoTime(run.info.startTime), step: null },
      { section: 'info', key: 'end_time', value: isoTime(run.info.endTime), step: null },
    ];
    for (const param of run.params) rows.push({ section: 'param', key: param.key, value: param.value, step: null });
    for (const metric of run.metrics) rows.push({ section: 'metric', key: metric.key, value: metric.value, step: metric.step });
    for (const tag of run.tags) rows.push({ section: 'tag', key: tag.key, value: tag.value, step: null });
    for (const file of artifacts) rows.push({ section: 'artifact', key: file.path, value: `${file.size} bytes`, step: null });
    for (const child of children) rows.push({ section: 'child', key: child, value: store.getRunInfo(child).runName, step: null });
    for (const link of remotes) rows.push({ section: 'remote', key: link.remote, value: link.remote_run_id, step: null });
    context.printTable({ columns: ['section', 'key', 'value', 'step'], rows });
  } finally {
    store.close();
  }
}

/** Tags `runs compare` shows: the input and its fingerprint. */
const COMPARED_TAGS = ['grooviest.input', 'grooviest.input_sha256', 'grooviest.input_rows'];

function compareRuns(runIdPrefixes: string[], flags: RunsFlags, context: CommandContext): void {
  if (runIdPrefixes.length < 2) throw new InputError(`invalid run list: ${runIdPrefixes.length} run given (compare needs at least 2 run ids)`);
  const { store } = openStore(flags);
  try {
    const runs: Run[] = runIdPrefixes.map((prefix) => store.getRun(store.resolveRunId(prefix)));
    const labels = runs.map((run) => `${run.info.runName} (${run.info.runId.slice(0, 8)})`);
    if (new Set(labels).size !== labels.length) throw new InputError('invalid run list: the same run is given twice (give distinct run ids)');

    const rows: Record<string, unknown>[] = [{ kind: 'info', key: 'status', ...Object.fromEntries(runs.map((run, i) => [labels[i], run.info.status])) }];
    // What each run was fit on, so runs on different data are not compared by mistake.
    for (const key of COMPARED_TAGS) {
      const values = runs.map((run) => run.tags.find((tag) => tag.key === key)?.value ?? null);
      if (values.some((value) => value !== null)) rows.push({ kind: 'tag', key, ...Object.fromEntries(values.map((value, i) => [labels[i], value])) });
    }
    const paramKeys = [...new Set(runs.flatMap((run) => run.params.map((param) => param.key)))].sort();
    for (const key of paramKeys) {
      rows.push({ kind: 'param', key, ...Object.fromEntries(runs.map((run, i) => [labels[i], run.params.find((param) => param.key === key)?.value ?? null])) });
    }
    // Final metric values: the value at the largest step of each metric, as MLflow's run table shows.
    const metricKeys = [...new Set(runs.flatMap((run) => run.metrics.map((metric) => metric.key)))].sort();
    for (const key of metricKeys) {
      rows.push({ kind: 'metric', key, ...Object.fromEntries(runs.map((run, i) => [labels[i], run.metrics.find((metric) => metric.key === key)?.value ?? null])) });
    }
    context.printTable({ columns: ['kind', 'key', ...labels], rows });
  } finally {
    store.close();
  }
}

async function syncToServer(runIdPrefixes: string[], flags: RunsFlags & { to?: string }, context: CommandContext): Promise<void> {
  const { store, settings } = openStore(flags);
  try {
    const uri = flags.to ?? settings.trackingUri;
    if (!uri) throw new InputError('missing server: give --to http://HOST:PORT (or set MLFLOW_TRACKING_URI)');
    const remote = new RestStore(uri, { onEvent: context.renderer.onEvent });
    const report = await syncRuns(store, remote, {
      runIds: runIdPrefixes.length > 0 ? runIdPrefixes : undefined,
      experimentName: flags.experiment,
      onEvent: context.renderer.onEvent,
    });

    const rows = report.runs.map((run) => ({
      run_id: run.runId,
      run_name: run.runName,
      remote_run_id: run.remoteRunId,
      created: run.created,
      params: run.params,
      tags: run.tags,
      metrics: run.metrics,
      artifacts: run.artifacts,
      status: run.status ?? null,
    }));
    const values = report.runs.reduce((sum, run) => sum + run.params + run.tags + run.metrics + run.artifacts, 0);
    const created = report.runs.filter((run) => run.created).length;
    context.printTable({ columns: ['run_id', 'run_name', 'remote_run_id', 'created', 'params', 'tags', 'metrics', 'artifacts', 'status'], rows });
    context.notice(`synced ${report.runs.length} runs to ${report.remote}: ${created} created, ${values} values and files sent`);
  } finally {
    store.close();
  }
}

function deleteRuns(runIdPrefixes: string[], flags: RunsFlags, context: CommandContext): void {
  const { store } = openStore(flags);
  try {
    const runIds = runIdPrefixes.map((prefix) => store.resolveRunId(prefix));
    for (const runId of runIds) store.deleteRun(runId);
    context.printTable({ columns: ['run_id', 'lifecycle_stage'], rows: runIds.map((runId) => ({ run_id: runId, lifecycle_stage: 'deleted' })) });
  } finally {
    store.close();
  }
}

/** Registers `grooviest runs` and its subcommands. */
export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('list, show, compare, sync and delete tracked runs');

  addTrackingOptions(runs.command('list').description('list runs of the local tracking store, newest first (trial runs with --nested)'))
    .option('--all', 'include deleted runs')
    .option('--nested', 'include the child run of every trial')
    .action((flags: RunsFlags & { all?: boolean; nested?: boolean }) => listRuns(flags, createContext(flags)));

  addTrackingOptions(runs.command('show').description('show a run: info, params, latest metrics, tags, artifacts').argument('<run-id>', 'run id or a unique prefix'))
    .action((runId: string, flags: RunsFlags) => showRun(runId, flags, createContext(flags)));

  addTrackingOptions(
    runs
      .command('compare')
      .description('show params and final metrics of several runs side by side')
      .argument('<run-ids...>', 'two or more run ids or unique prefixes'),
  ).action((runIds: string[], flags: RunsFlags) => compareRuns(runIds, flags, createContext(flags)));

  addTrackingOptions(
    runs
      .command('sync')
      .description('deliver local runs (with their child runs) to an MLflow server; sends only what the server lacks')
      .argument('[run-ids...]', 'runs to deliver (default: every run)'),
  )
    .option('--to <uri>', 'MLflow tracking URI, http(s)://HOST:PORT or databricks (default MLFLOW_TRACKING_URI)')
    .action((runIds: string[], flags: RunsFlags & { to?: string }) => syncToServer(runIds, flags, createContext(flags)));

  addTrackingOptions(runs.command('delete').description('mark runs deleted in the local store (hidden from lists, kept on disk)').argument('<run-ids...>', 'run ids or unique prefixes'))
    .action((runIds: string[], flags: RunsFlags) => deleteRuns(runIds, flags, createContext(flags)));
}
