/**
 * Delivery of local runs to an MLflow server. The local store remembers, per
 * server, which server run each local run became and which params, tags,
 * metric values, artifacts and statuses already arrived, so a delivery sends
 * only the rest: a second sync sends nothing. The live mirroring of a run
 * while it is logged and `grooviest runs sync` use this same code.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnEvent } from '../contracts/events.js';
import { ignoreEvents } from '../contracts/events.js';
import { SystemTags, TERMINAL_STATUSES, type RunStatus, type RunTag } from './entities.js';
import type { LocalStore, RemoteRunLink } from './stores/local.js';
import { ArtifactsUnsupportedError, type RestStore } from './stores/rest.js';

/** Counts of the values one delivery sent for one run. */
export interface RunSyncReport {
  /** Local run id. */
  runId: string;
  runName: string;
  /** Id of the run on the server. */
  remoteRunId: string;
  /** True when this delivery created the server run; false when it continued one. */
  created: boolean;
  params: number;
  tags: number;
  /** Metric values (not keys) sent. */
  metrics: number;
  /** Artifact files uploaded. */
  artifacts: number;
  /** Status sent, when the run's end was delivered now. */
  status?: RunStatus;
  /** Reason artifacts were not uploaded, when they could not be. */
  artifactsSkipped?: string;
}

/** Report of a sync, run by run. */
export interface SyncReport {
  /** The server, without credentials. */
  remote: string;
  runs: RunSyncReport[];
}

/** Parts of a run that {@link RunDelivery.deliverRun} delivers; every part by default. */
export interface DeliveryParts {
  /** Scan and upload artifact files; default true. */
  artifacts?: boolean;
}

// Delivery records join key and value with U+001F, a character keys cannot contain and SQLite's
// text functions handle (they stop at U+0000).
function tagItem(tag: RunTag): string {
  return `${tag.key}\u001f${tag.value}`;
}

async function fileDigest(path: string): Promise<{ bytes: Uint8Array; digest: string }> {
  const bytes = await readFile(path);
  return { bytes, digest: createHash('sha256').update(bytes).digest('hex') };
}

/** Delivers local runs to one server; keeps the server's experiment ids for the session. */
export class RunDelivery {
  private readonly experimentIds = new Map<string, string>();
  private artifactsUnsupported: string | undefined;

  constructor(
    readonly local: LocalStore,
    readonly remote: RestStore,
    private readonly onEvent: OnEvent = ignoreEvents,
  ) {}

  private get key(): string {
    return this.remote.displayUri;
  }

  private async remoteExperimentId(localExperimentId: string): Promise<string> {
    const name = this.local.getExperiment(localExperimentId).name;
    let id = this.experimentIds.get(name);
    if (id === undefined) {
      id = await this.remote.getOrCreateExperiment(name);
      this.experimentIds.set(name, id);
    }
    return id;
  }

  // The parent tag contains the local parent id, but the server needs the server id of the parent.
  private async translateTags(tags: RunTag[]): Promise<RunTag[]> {
    const translated: RunTag[] = [];
    for (const tag of tags) {
      if (tag.key === SystemTags.parentRunId) {
        const parent = await this.ensureRemoteRun(tag.value);
        translated.push({ key: tag.key, value: parent.link.remoteRunId });
      } else translated.push(tag);
    }
    return translated;
  }

  /**
   * Returns the server run of a local run, creating it when there is none.
   * A run created earlier whose link was lost (the response never arrived) is
   * found again by its `grooviest.runId` tag, unless `isNew` marks a local
   * run that was only just created.
   */
  async ensureRemoteRun(runId: string, options: { isNew?: boolean } = {}): Promise<{ link: RemoteRunLink; created: boolean }> {
    const existing = this.local.getRemoteRun(this.key, runId);
    if (existing) return { link: existing, created: false };

    const info = this.local.getRunInfo(runId);
    const experimentId = await this.remoteExperimentId(info.experimentId);
    if (!options.isNew) {
      const filter = `tags."${SystemTags.grooviestRunId}" = '${runId}'`;
      const [found] = await this.remote.searchRuns([experimentId], filter, 1);
      if (found) {
        const link = { remoteRunId: found.info.runId, remoteExperimentId: experimentId, artifactUri: found.info.artifactUri };
        this.local.setRemoteRun(this.key, runId, link);
        return { link, created: false };
      }
    }

    const tags = this.local.getTags(runId);
    const created = await this.remote.createRun({
      experimentId,
      runName: info.runName,
      startTime: info.startTime,
      tags: await this.translateTags(tags),
    });
    const link = { remoteRunId: created.info.runId, remoteExperimentId: experimentId, artifactUri: created.info.artifactUri };
    this.local.setRemoteRun(this.key, runId, link);
    this.local.markTagsSent(this.key, runId, tags);
    return { link, created: true };
  }

  /** Sends what the server lacks of one run: params, tags, metric values, artifacts, then its end status. */
  async deliverRun(runId: string, parts: DeliveryParts = {}, options: { isNew?: boolean } = {}): Promise<RunSyncReport> {
    const { link, created } = await this.ensureRemoteRun(runId, options);
    const info = this.local.getRunInfo(runId);
    const report: RunSyncReport = { runId, runName: info.runName, remoteRunId: link.remoteRunId, created, params: 0, tags: 0, metrics: 0, artifacts: 0 };

    // params, tags and metric values in log-batch requests. Resending after a lost response is
    // harmless because MLflow 3.16's SQL store ignores a metric value identical in key, value,
    // timestamp and step to a stored one.
    // NOTE: for the same reason two identical values logged locally become one on such a server.
    const sentParams = this.local.sentItems(this.key, runId, 'param');
    const params = this.local.getParams(runId).filter((param) => !sentParams.has(param.key));
    const sentTags = this.local.sentItems(this.key, runId, 'tag');
    const tags = this.local.getTags(runId).filter((tag) => !sentTags.has(tagItem(tag)));
    const metrics = this.local.unsentMetrics(this.key, runId);
    if (params.length + tags.length + metrics.length > 0) {
      await this.remote.logBatch(link.remoteRunId, {
        params,
        tags: await this.translateTags(tags),
        metrics: metrics.map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })),
      });
      this.local.markSent(this.key, runId, 'param', params.map((param) => param.key));
      this.local.markTagsSent(this.key, runId, tags);
      this.local.markSent(this.key, runId, 'metric', metrics.map((metric) => String(metric.id)));
      report.params = params.length;
      report.tags = tags.length;
      report.metrics = metrics.length;
    }

    // artifact files, each identified by its path and content digest
    if (parts.artifacts !== false) await this.deliverArtifacts(runId, link, report);

    // the end of the run, last, so a server run is FINISHED only once it contains everything
    if (TERMINAL_STATUSES.includes(info.status)) {
      const item = `${info.status}:${info.endTime ?? ''}`;
      if (!this.local.sentItems(this.key, runId, 'status').has(item)) {
        await this.remote.updateRun(link.remoteRunId, info.status, info.endTime);
        this.local.markSent(this.key, runId, 'status', [item]);
        report.status = info.status;
      }
    }
    return report;
  }

  private async deliverArtifacts(runId: string, link: RemoteRunLink, report: RunSyncReport): Promise<void> {
    const files = this.local.listArtifacts(runId);
    if (files.length === 0) return;
    if (this.artifactsUnsupported) {
      report.artifactsSkipped = this.artifactsUnsupported;
      return;
    }
    const root = this.local.artifactDir(runId);
    const sent = this.local.sentItems(this.key, runId, 'artifact');
    // A few uploads at a time: the server handles them in parallel, and one slow file does not hold up the rest.
    for (let first = 0; first < files.length && !this.artifactsUnsupported; first += PARALLEL_UPLOADS) {
      await Promise.all(files.slice(first, first + PARALLEL_UPLOADS).map((file) => this.uploadArtifact(runId, root, file.path, sent, link, report)));
    }
    if (this.artifactsUnsupported) report.artifactsSkipped = this.artifactsUnsupported;
  }

  private async uploadArtifact(runId: string, root: string, path: string, sent: Set<string>, link: RemoteRunLink, report: RunSyncReport): Promise<void> {
    const { bytes, digest } = await fileDigest(join(root, path));
    const item = `${path}\u001f${digest}`;
    if (sent.has(item) || this.artifactsUnsupported) return;
    try {
      await this.remote.uploadArtifact(link.artifactUri, path, bytes);
    } catch (error) {
      if (!(error instanceof ArtifactsUnsupportedError)) throw error;
      if (this.artifactsUnsupported) return;
      this.artifactsUnsupported = error.message;
      this.onEvent({ type: 'warning', code: 'artifacts-not-uploaded', message: error.message, details: { remote: this.key } });
      return;
    }
    this.local.markSent(this.key, runId, 'artifact', [item]);
    report.artifacts += 1;
  }
}

/** Artifact files uploaded at once. */
const PARALLEL_UPLOADS = 4;

/** Options of {@link syncRuns}. */
export interface SyncOptions {
  /** Local run ids to deliver (with their child runs); default every run of the store. */
  runIds?: string[];
  /** Only runs of this experiment. */
  experimentName?: string;
  onEvent?: OnEvent;
}

/**
 * Delivers local runs to a server, parents before children, and returns what
 * was sent. Deleted runs are skipped. Idempotent: a second sync sends nothing.
 */
export async function syncRuns(local: LocalStore, remote: RestStore, options: SyncOptions = {}): Promise<SyncReport> {
  const onEvent = options.onEvent ?? ignoreEvents;
  const delivery = new RunDelivery(local, remote, onEvent);

  let runs = local.listRuns({ experimentName: options.experimentName });
  if (options.runIds) {
    const selected = new Set<string>();
    const addWithChildren = (runId: string) => {
      if (selected.has(runId)) return;
      selected.add(runId);
      for (const child of local.childRunIds(runId)) addWithChildren(child);
    };
    for (const runId of options.runIds) addWithChildren(local.resolveRunId(runId));
    runs = runs.filter((run) => selected.has(run.runId));
  }
  runs.sort((a, b) => a.startTime - b.startTime || a.runId.localeCompare(b.runId));

  const report: SyncReport = { remote: remote.displayUri, runs: [] };
  for (const [index, run] of runs.entries()) {
    report.runs.push(await delivery.deliverRun(run.runId));
    onEvent({ type: 'progress', task: 'sync', done: index + 1, total: runs.length, unit: 'runs' });
  }
  return report;
}
