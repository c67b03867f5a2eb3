/**
 * Reads a tracking server back with MLflow's own REST calls (runs/search,
 * runs/get, metrics/get-history, artifacts/list), independent of grooviest's
 * REST store, so tests check what the server really holds.
 */
import { execFileSync } from 'node:child_process';
import { mlflowEnv } from './mlflow-server.js';
import { referencePython } from './reference-env.js';

/** A run as MLflow's REST API returns it. */
export interface WireRun {
  info: { run_id: string; run_name: string; status: string; experiment_id: string; artifact_uri: string; end_time?: number };
  data: { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[]; metrics?: { key: string; value: number; step: number }[] };
}

// One retry covers a keep-alive socket that the server closed just as the request was sent.
async function fetchOnceMore(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetchOnceMore(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} failed: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Returns the id of an experiment by name. */
export async function experimentId(server: string, name: string): Promise<string> {
  const result = await call<{ experiment: { experiment_id: string } }>(`${server}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
  return result.experiment.experiment_id;
}

/** Returns every run of an experiment matching `filter` (MLflow's search syntax). */
export async function searchRuns(server: string, experimentName: string, filter = ''): Promise<WireRun[]> {
  const id = await experimentId(server, experimentName);
  const result = await call<{ runs?: WireRun[] }>(`${server}/api/2.0/mlflow/runs/search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ experiment_ids: [id], filter, max_results: 1000 }),
  });
  return result.runs ?? [];
}

export async function getRun(server: string, runId: string): Promise<WireRun> {
  return (await call<{ run: WireRun }>(`${server}/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;
}

/** Returns a metric's history as `step:value` pairs in the server's order. */
export async function metricHistory(server: string, runId: string, key: string): Promise<{ step: number; value: number; timestamp: number }[]> {
  const result = await call<{ metrics?: { step?: number; value: number; timestamp: number }[] }>(
    `${server}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`,
  );
  return (result.metrics ?? []).map((metric) => ({ step: Number(metric.step ?? 0), value: Number(metric.value), timestamp: Number(metric.timestamp) }));
}

/** Lists every artifact file of a run recursively, with sizes. */
export async function listArtifactFiles(server: string, runId: string, path = ''): Promise<{ path: string; size: number }[]> {
  const query = path ? `&path=${encodeURIComponent(path)}` : '';
  const result = await call<{ files?: { path: string; is_dir: boolean; file_size?: number }[] }>(`${server}/api/2.0/mlflow/artifacts/list?run_id=${runId}${query}`);
  const files: { path: string; size: number }[] = [];
  for (const file of result.files ?? []) {
    if (file.is_dir) files.push(...(await listArtifactFiles(server, runId, file.path)));
    else files.push({ path: file.path, size: Number(file.file_size ?? 0) });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Downloads one artifact through the server's artifact proxy. */
export async function downloadArtifact(server: string, artifactUri: string, path: string): Promise<string> {
  const root = artifactUri.replace(/^mlflow-artifacts:/, '');
  const response = await fetchOnceMore(`${server}/api/2.0/mlflow-artifacts/artifacts${root}/${path}`);
  if (!response.ok) throw new Error(`artifact ${path} not found: HTTP ${response.status}`);
  return response.text();
}

/** Runs a Python snippet with MLflow's client pointed at `server` and returns its stdout parsed as JSON. */
export function pythonJson(server: string, code: string): unknown {
  const output = execFileSync(referencePython, ['-c', code], {
    env: mlflowEnv({ MLFLOW_TRACKING_URI: server }),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
