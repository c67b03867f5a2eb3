/**
 * The REST store: a real MLflow tracking server (REST API 2.0), or a
 * Databricks workspace through the same calls. Params, metrics and tags go
 * through `runs/log-batch`, split to MLflow's per-request limits; artifacts go
 * through the server's artifact proxy (`mlflow-artifacts:` artifact URIs).
 */
import type { OnEvent } from '../../contracts/events.js';
import { ignoreEvents } from '../../contracts/events.js';
import { JobError } from '../../errors.js';
import { resolveConnection, type RestConnection } from '../credentials.js';
import type { Experiment, Metric, Param, RunInfo, RunStatus, RunTag } from '../entities.js';
import { defaultRetryPolicy, HttpClient, MlflowRestError, type RetryPolicy } from './http.js';

/** `runs/log-batch` limits per request, from MLflow's REST API documentation and `mlflow/utils/validation.py`. */
export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  /** Metrics, params and tags together. */
  total: 1000,
  /** Request body size in bytes. */
  bytes: 1_000_000,
} as const;

/** A `runs/log-batch` body without the run id. */
export interface LogBatch {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

/** A run as the server returns it. */
export interface RemoteRun {
  info: RunInfo & { artifactUri: string };
  params: Param[];
  tags: RunTag[];
  /** Latest value of each metric. */
  metrics: Metric[];
}

/** Raised when a run's artifact store cannot be written through the tracking server. */
export class ArtifactsUnsupportedError extends JobError {}

/** Options of {@link RestStore}. */
export interface RestStoreOptions {
  /** Environment for credentials and retry settings; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Retry settings; default {@link defaultRetryPolicy}. */
  retry?: Partial<RetryPolicy>;
  /** Receives `retry` events. */
  onEvent?: OnEvent;
}

const API = '/api/2.0/mlflow';

/**
 * Splits a batch into requests within {@link LOG_BATCH_LIMITS}: params first,
 * then tags, then metrics, keeping the order of each.
 */
export function splitLogBatch(batch: LogBatch, limits = LOG_BATCH_LIMITS): LogBatch[] {
  const requests: LogBatch[] = [];
  let current: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = 64;
  const count = () => current.metrics.length + current.params.length + current.tags.length;
  const flush = () => {
    if (count() > 0) requests.push(current);
    current = { metrics: [], params: [], tags: [] };
    bytes = 64;
  };
  const add = (kind: keyof LogBatch, item: Metric | Param | RunTag, limit: number) => {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current[kind].length >= limit || count() >= limits.total || bytes + size > limits.bytes) flush();
    (current[kind] as (Metric | Param | RunTag)[]).push(item);
    bytes += size;
  };
  for (const param of batch.params) add('params', param, limits.params);
  for (const tag of batch.tags) add('tags', tag, limits.tags);
  for (const metric of batch.metrics) add('metrics', metric, limits.metrics);
  flush();
  return requests;
}

interface WireRun {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: RunStatus;
    start_time?: number | string;
    end_time?: number | string;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  data?: { params?: Param[]; tags?: RunTag[]; metrics?: { key: string; value: number | string; timestamp: number | string; step?: number | string }[] };
}

function toMetric(wire: { key: string; value: number | string; timestamp: number | string; step?: number | string }): Metric {
  return { key: wire.key, value: Number(wire.value), timestamp: Number(wire.timestamp), step: Number(wire.step ?? 0) };
}

function toRemoteRun(wire: WireRun): RemoteRun {
  const info = wire.info;
  const runInfo: RunInfo & { artifactUri: string } = {
    runId: info.run_id,
    experimentId: info.experiment_id,
    runName: info.run_name ?? '',
    status: info.status,
    startTime: Number(info.start_time ?? 0),
    lifecycleStage: info.lifecycle_stage,
    artifactUri: info.artifact_uri,
  };
  if (info.end_time !== undefined && info.end_time !== null) runInfo.endTime = Number(info.end_time);
  return {
    info: runInfo,
    params: wire.data?.params ?? [],
    tags: wire.data?.tags ?? [],
    metrics: (wire.data?.metrics ?? []).map(toMetric),
  };
}

function encodePath(path: string): string {
  return path.split('/').filter((segment) => segment !== '').map(encodeURIComponent).join('/');
}

/** A client of one MLflow tracking server. */
export class RestStore {
  /** The tracking URI without credentials. */
  readonly displayUri: string;
  readonly connection: RestConnection;
  private readonly http: HttpClient;

  constructor(trackingUri: string, options: RestStoreOptions = {}) {
    const env = options.env ?? process.env;
    this.connection = resolveConnection(trackingUri, env);
    this.displayUri = this.connection.displayUri;
    const policy = { ...defaultRetryPolicy(env), ...options.retry };
    this.http = new HttpClient(this.connection.baseUrl, this.connection.authorization, policy, options.onEvent ?? ignoreEvents);
  }

  // ---- experiments

  /** Returns the experiment named `name`, or undefined when the server has none. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const result = await this.http.json<{ experiment: { experiment_id: string; name: string; lifecycle_stage: string; creation_time?: number | string } }>({
        method: 'GET',
        path: `${API}/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      });
      const experiment = result.experiment;
      return {
        experimentId: experiment.experiment_id,
        name: experiment.name,
        lifecycleStage: experiment.lifecycle_stage,
        creationTime: Number(experiment.creation_time ?? 0),
      };
    } catch (error) {
      if (error instanceof MlflowRestError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw error;
    }
  }

  /** Returns the id of the experiment named `name`, creating it when missing (a concurrent creation is tolerated). */
  async getOrCreateExperiment(name: string): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) {
      if (existing.lifecycleStage === 'deleted') {
        throw new JobError(`experiment "${name}" is deleted on ${this.displayUri} (restore it in the MLflow UI or choose another name with --experiment)`);
      }
      return existing.experimentId;
    }
    try {
      const created = await this.http.json<{ experiment_id: string }>({ method: 'POST', path: `${API}/experiments/create`, json: { name } });
      return created.experiment_id;
    } catch (error) {
      if (error instanceof MlflowRestError && error.errorCode === 'RESOURCE_ALREADY_EXISTS') {
        const raced = await this.getExperimentByName(name);
        if (raced) return raced.experimentId;
      }
      throw error;
    }
  }

  // ---- runs

  /** Creates a RUNNING run. */
  async createRun(options: { experimentId: string; runName: string; startTime: number; tags: RunTag[] }): Promise<RemoteRun> {
    const result = await this.http.json<{ run: WireRun }>({
      method: 'POST',
      path: `${API}/runs/create`,
      json: { experiment_id: options.experimentId, run_name: options.runName, start_time: options.startTime, tags: options.tags },
    });
    return toRemoteRun(result.run);
  }

  async getRun(runId: string): Promise<RemoteRun> {
    const result = await this.http.json<{ run: WireRun }>({ method: 'GET', path: `${API}/runs/get?run_id=${encodeURIComponent(runId)}` });
    return toRemoteRun(result.run);
  }

  /** Searches runs with MLflow's filter syntax (such as `tags."grooviest.runId" = 'abc'`), following every page. */
  async searchRuns(experimentIds: string[], filter = '', maxResults = 1000): Promise<RemoteRun[]> {
    const runs: RemoteRun[] = [];
    let pageToken: string | undefined;
    do {
      const result = await this.http.json<{ runs?: WireRun[]; next_page_token?: string }>({
        method: 'POST',
        path: `${API}/runs/search`,
        json: { experiment_ids: experimentIds, filter, max_results: maxResults, page_token: pageToken, run_view_type: 'ACTIVE_ONLY' },
      });
      runs.push(...(result.runs ?? []).map(toRemoteRun));
      pageToken = result.next_page_token || undefined;
    } while (pageToken);
    return runs;
  }

  /** Sets a run's status and end time. */
  async updateRun(runId: string, status: RunStatus, endTime?: number): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/runs/update`, json: { run_id: runId, status, end_time: endTime } });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/runs/delete`, json: { run_id: runId } });
  }

  /** Logs params, tags and metrics in as many `runs/log-batch` requests as the limits need; returns the request count. */
  async logBatch(runId: string, batch: LogBatch): Promise<number> {
    const requests = splitLogBatch(batch);
    for (const request of requests) {
      await this.http.json({
        method: 'POST',
        path: `${API}/runs/log-batch`,
        json: {
          run_id: runId,
          params: request.params,
          tags: request.tags,
          metrics: request.metrics.map((metric) => ({ key: metric.key, value: metric.value, timestamp: metric.timestamp, step: metric.step })),
        },
      });
    }
    return requests.length;
  }

  /** Returns every value of one metric, following every page. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const metrics: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const query = `run_id=${encodeURIComponent(runId)}&metric_key=${encodeURIComponent(key)}&max_results=25000${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
      const result = await this.http.json<{ metrics?: Parameters<typeof toMetric>[0][]; next_page_token?: string }>({
        method: 'GET',
        path: `${API}/metrics/get-history?${query}`,
      });
      metrics.push(...(result.metrics ?? []).map(toMetric));
      pageToken = result.next_page_token || undefined;
    } while (pageToken);
    return metrics;
  }

  // ---- artifacts

  /** Returns the proxy path of a run's artifact root, or throws when the server does not proxy that artifact store. */
  artifactProxyPath(artifactUri: string): string {
    const match = /^mlflow-artifacts:(\/\/[^/]*)?(\/.*)?$/.exec(artifactUri);
    if (!match) {
      const scheme = artifactUri.split(':')[0];
      throw new ArtifactsUnsupportedError(
        `artifacts stay in the local store: ${this.displayUri} keeps this run's artifacts at a ${scheme}: location, which grooviest cannot upload to yet ` +
          `(start the server with --serve-artifacts so artifact URIs are mlflow-artifacts:)`,
      );
    }
    return `/api/2.0/mlflow-artifacts/artifacts/${encodePath(match[2] ?? '')}`;
  }

  /** Uploads one file to `relativePath` under the run's artifact root. */
  async uploadArtifact(artifactUri: string, relativePath: string, bytes: Uint8Array): Promise<void> {
    await this.http.send({ method: 'PUT', path: `${this.artifactProxyPath(artifactUri)}/${encodePath(relativePath)}`, body: bytes });
  }

  /** Downloads one artifact file. */
  async downloadArtifact(artifactUri: string, relativePath: string): Promise<Uint8Array> {
    return this.http.send({ method: 'GET', path: `${this.artifactProxyPath(artifactUri)}/${encodePath(relativePath)}` });
  }

  /** Lists a run's artifacts below `path` (one level), as MLflow's `artifacts/list` returns them. */
  async listArtifacts(runId: string, path = ''): Promise<{ path: string; isDir: boolean; fileSize?: number }[]> {
    const query = `run_id=${encodeURIComponent(runId)}${path ? `&path=${encodeURIComponent(path)}` : ''}`;
    const result = await this.http.json<{ files?: { path: string; is_dir: boolean; file_size?: number | string }[] }>({
      method: 'GET',
      path: `${API}/artifacts/list?${query}`,
    });
    return (result.files ?? []).map((file) => ({
      path: file.path,
      isDir: file.is_dir,
      fileSize: file.file_size === undefined ? undefined : Number(file.file_size),
    }));
  }
}
