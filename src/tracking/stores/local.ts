/**
 * The local tracking store: MLflow's data model in an embedded SQLite database
 * (`tracking.db`) with each run's artifacts in a folder beside it. WAL
 * journaling and a busy timeout let several processes log at once. The store
 * also records what was delivered to each server, so a sync sends only the
 * values a server has not acknowledged.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../errors.js';
import type { ArtifactFile, Experiment, Metric, Param, Run, RunInfo, RunStatus, RunTag } from '../entities.js';
import { paramConflictError } from '../validation.js';

/** File name of the SQLite database inside the tracking directory. */
export const DATABASE_FILE = 'tracking.db';

/** Milliseconds a writer waits for another process's lock before failing; default of {@link LocalStore.open}. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** Kind of value a delivery record refers to. */
export type SentKind = 'param' | 'tag' | 'metric' | 'artifact' | 'status';

/** A metric row with its local id, the unit of sync bookkeeping. */
export interface StoredMetric extends Metric {
  id: number;
}

/** The server run a local run is delivered to. */
export interface RemoteRunLink {
  remoteRunId: string;
  remoteExperimentId: string;
  artifactUri: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiments (
  experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  creation_time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  run_name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active'
);
CREATE TABLE IF NOT EXISTS params (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS tags (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS metrics (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value REAL NOT NULL,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metrics_run_key ON metrics (run_id, key, step);
CREATE TABLE IF NOT EXISTS remote_runs (
  remote TEXT NOT NULL,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  remote_run_id TEXT NOT NULL,
  remote_experiment_id TEXT NOT NULL,
  artifact_uri TEXT NOT NULL,
  PRIMARY KEY (remote, run_id)
);
CREATE TABLE IF NOT EXISTS sent (
  remote TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (remote, run_id, kind, item)
);
`;

interface RunRow {
  run_id: string;
  experiment_id: number;
  run_name: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
}

function toRunInfo(row: RunRow): RunInfo {
  const info: RunInfo = {
    runId: row.run_id,
    experimentId: String(row.experiment_id),
    runName: row.run_name,
    status: row.status,
    startTime: row.start_time,
    lifecycleStage: row.lifecycle_stage,
  };
  if (row.end_time !== null) info.endTime = row.end_time;
  return info;
}

/** Filters of {@link LocalStore.listRuns}. */
export interface ListRunsOptions {
  /** Only runs of this experiment (by name). */
  experimentName?: string;
  /** Include runs deleted with `runs delete`; default false. */
  includeDeleted?: boolean;
}

/** Runs `work`, retrying with a growing pause while SQLite reports the database locked, for at most `timeoutMs`. */
function whenUnlocked<T>(work: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waitMs = 5; ; waitMs = Math.min(waitMs * 2, 200)) {
    try {
      return work();
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, waitMs);
    }
  }
}

/** The embedded SQLite tracking store. Methods are synchronous (better-sqlite3). */
export class LocalStore {
  /** The tracking directory: `tracking.db` and `artifacts/`. */
  readonly dir: string;
  private readonly db: Database.Database;

  private constructor(dir: string, db: Database.Database) {
    this.dir = dir;
    this.db = db;
  }

  /**
   * Opens the store in `dir`, creating it when missing unless `create` is
   * false (default true). `busyTimeoutMs` (default 10000) is how long a write
   * waits for another process's lock.
   */
  static open(dir: string, options: { busyTimeoutMs?: number; create?: boolean } = {}): LocalStore {
    const absolute = resolve(dir);
    if (options.create === false && !existsSync(join(absolute, DATABASE_FILE))) {
      throw new InputError(`no tracking store in ${absolute} (runs are recorded there when grooviest tracks an experiment; pass --tracking-dir to read another folder)`);
    }
    mkdirSync(join(absolute, 'artifacts'), { recursive: true });
    const db = new Database(join(absolute, DATABASE_FILE));
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Switching a new database to WAL needs the whole file: SQLite reports SQLITE_BUSY at once, without its busy handler, while another process opens the same store.
    whenUnlocked(() => db.pragma('journal_mode = WAL'), busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    whenUnlocked(() => db.exec(SCHEMA), busyTimeoutMs);
    return new LocalStore(absolute, db);
  }

  close(): void {
    this.db.close();
  }

  // ---- experiments

  /** Returns the experiment named `name`, creating it when missing. */
  getOrCreateExperiment(name: string): Experiment {
    this.db.prepare('INSERT OR IGNORE INTO experiments (name, creation_time) VALUES (?, ?)').run(name, Date.now());
    return this.getExperimentByName(name)!;
  }

  getExperimentByName(name: string): Experiment | undefined {
    const row = this.db.prepare('SELECT * FROM experiments WHERE name = ?').get(name) as
      | { experiment_id: number; name: string; lifecycle_stage: string; creation_time: number }
      | undefined;
    if (!row) return undefined;
    return { experimentId: String(row.experiment_id), name: row.name, lifecycleStage: row.lifecycle_stage, creationTime: row.creation_time };
  }

  getExperiment(experimentId: string): Experiment {
    const row = this.db.prepare('SELECT * FROM experiments WHERE experiment_id = ?').get(Number(experimentId)) as
      | { experiment_id: number; name: string; lifecycle_stage: string; creation_time: number }
      | undefined;
    if (!row) throw new InputError(`experiment not found: ${experimentId}`);
    return { experimentId: String(row.experiment_id), name: row.name, lifecycleStage: row.lifecycle_stage, creationTime: row.creation_time };
  }

  listExperiments(): Experiment[] {
    const rows = this.db.prepare('SELECT * FROM experiments ORDER BY experiment_id').all() as {
      experiment_id: number;
      name: string;
      lifecycle_stage: string;
      creation_time: number;
    }[];
    return rows.map((row) => ({ experimentId: String(row.experiment_id), name: row.name, lifecycleStage: row.lifecycle_stage, creationTime: row.creation_time }));
  }

  // ---- runs

  /**
   * Creates a RUNNING run with its tags and a new 32-hex-digit id, MLflow's format.
   * An empty name becomes `run-` followed by the first 8 hex digits of the id.
   */
  createRun(options: { experimentId: string; runName: string; startTime: number; tags: RunTag[] }): RunInfo {
    const runId = randomUUID().replace(/-/g, '');
    const insert = this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO runs (run_id, experiment_id, run_name, status, start_time) VALUES (?, ?, ?, 'RUNNING', ?)")
        .run(runId, Number(options.experimentId), options.runName || `run-${runId.slice(0, 8)}`, options.startTime);
      const setTag = this.db.prepare('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)');
      for (const tag of options.tags) setTag.run(runId, tag.key, tag.value);
    });
    insert.immediate();
    return this.getRunInfo(runId);
  }

  getRunInfo(runId: string): RunInfo {
    const row = this.db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new InputError(`run not found: ${runId} (list runs with \`grooviest runs list\`)`);
    return toRunInfo(row);
  }

  /** Returns the full run id for a unique prefix of at least 4 characters. */
  resolveRunId(prefix: string): string {
    const exact = this.db.prepare('SELECT run_id FROM runs WHERE run_id = ?').get(prefix) as { run_id: string } | undefined;
    if (exact) return exact.run_id;
    if (prefix.length < 4 || !/^[0-9a-f]+$/i.test(prefix)) {
      throw new InputError(`run not found: ${prefix} (give a run id or a unique prefix of at least 4 hex digits)`);
    }
    const rows = this.db.prepare('SELECT run_id FROM runs WHERE run_id LIKE ? LIMIT 2').all(prefix.toLowerCase() + '%') as { run_id: string }[];
    if (rows.length === 0) throw new InputError(`run not found: ${prefix} (list runs with \`grooviest runs list\`)`);
    if (rows.length > 1) throw new InputError(`ambiguous run id prefix: ${prefix} (matches ${rows[0].run_id}, ${rows[1].run_id}, ...; give more digits)`);
    return rows[0].run_id;
  }

  /** Lists runs, newest first. */
  listRuns(options: ListRunsOptions = {}): RunInfo[] {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (!options.includeDeleted) clauses.push("r.lifecycle_stage = 'active'");
    if (options.experimentName !== undefined) {
      clauses.push('e.name = ?');
      args.push(options.experimentName);
    }
    const where = clauses.length > 0 ? 'WHERE ' + clauses.join(' AND ') : '';
    const rows = this.db
      .prepare(`SELECT r.* FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id ${where} ORDER BY r.start_time DESC, r.rowid DESC`)
      .all(...args) as RunRow[];
    return rows.map(toRunInfo);
  }

  getRun(runId: string): Run {
    return { info: this.getRunInfo(runId), params: this.getParams(runId), tags: this.getTags(runId), metrics: this.getLatestMetrics(runId) };
  }

  /** Sets a run's status and end time (end time only for FINISHED, FAILED or KILLED). */
  updateRun(runId: string, status: RunStatus, endTime?: number): void {
    this.getRunInfo(runId);
    this.db.prepare('UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?').run(status, endTime ?? null, runId);
  }

  /** Marks a run deleted: hidden from lists, kept on disk (MLflow's soft delete). */
  deleteRun(runId: string): void {
    this.getRunInfo(runId);
    this.db.prepare("UPDATE runs SET lifecycle_stage = 'deleted' WHERE run_id = ?").run(runId);
  }

  /** Returns the run ids whose `mlflow.parentRunId` tag is `runId`. */
  childRunIds(runId: string): string[] {
    const rows = this.db.prepare("SELECT run_id FROM tags WHERE key = 'mlflow.parentRunId' AND value = ?").all(runId) as { run_id: string }[];
    return rows.map((row) => row.run_id);
  }

  // ---- params, tags, metrics

  /**
   * Writes params, tags and metrics of one run in one transaction and returns
   * the ids of the metric rows written. A param already logged with another
   * value fails the whole batch with an error naming both values. The same
   * value again is accepted, as MLflow accepts it.
   */
  logBatch(runId: string, batch: { params?: Param[]; tags?: RunTag[]; metrics?: Metric[] }): number[] {
    const ids: number[] = [];
    const write = this.db.transaction(() => {
      this.getRunInfo(runId);
      const getParam = this.db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?');
      const insertParam = this.db.prepare('INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?, ?, ?)');
      for (const param of batch.params ?? []) {
        const existing = getParam.get(runId, param.key) as { value: string } | undefined;
        if (existing && existing.value !== param.value) throw paramConflictError(runId, param.key, existing.value, param.value);
        insertParam.run(runId, param.key, param.value);
      }
      const setTag = this.db.prepare('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)');
      for (const tag of batch.tags ?? []) setTag.run(runId, tag.key, tag.value);
      const insertMetric = this.db.prepare('INSERT INTO metrics (run_id, key, value, timestamp, step) VALUES (?, ?, ?, ?, ?)');
      for (const metric of batch.metrics ?? []) {
        ids.push(Number(insertMetric.run(runId, metric.key, metric.value, metric.timestamp, metric.step).lastInsertRowid));
      }
    });
    write.immediate();
    return ids;
  }

  getParams(runId: string): Param[] {
    return this.db.prepare('SELECT key, value FROM params WHERE run_id = ? ORDER BY key').all(runId) as Param[];
  }

  getTags(runId: string): RunTag[] {
    return this.db.prepare('SELECT key, value FROM tags WHERE run_id = ? ORDER BY key').all(runId) as RunTag[];
  }

  getTag(runId: string, key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM tags WHERE run_id = ? AND key = ?').get(runId, key) as { value: string } | undefined;
    return row?.value;
  }

  /** Returns every value of one metric, in step order, then the order of logging. */
  getMetricHistory(runId: string, key: string): Metric[] {
    return this.db.prepare('SELECT key, value, timestamp, step FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp, id').all(runId, key) as Metric[];
  }

  /** Returns every metric value of a run with its local row id, in the order of logging. */
  getAllMetrics(runId: string): StoredMetric[] {
    return this.db.prepare('SELECT id, key, value, timestamp, step FROM metrics WHERE run_id = ? ORDER BY id').all(runId) as StoredMetric[];
  }

  /** Returns the latest value of each metric: largest step, then latest timestamp, as MLflow's run view does. */
  getLatestMetrics(runId: string): Metric[] {
    return this.db
      .prepare(
        `SELECT key, value, timestamp, step FROM (
           SELECT key, value, timestamp, step,
                  ROW_NUMBER() OVER (PARTITION BY key ORDER BY step DESC, timestamp DESC, id DESC) AS position
           FROM metrics WHERE run_id = ?)
         WHERE position = 1 ORDER BY key`,
      )
      .all(runId) as Metric[];
  }

  // ---- artifacts

  /** Returns the folder of a run's artifacts: `artifacts/<experiment id>/<run id>/artifacts`. */
  artifactDir(runId: string): string {
    const info = this.getRunInfo(runId);
    return join(this.dir, 'artifacts', info.experimentId, runId, 'artifacts');
  }

  /** Lists a run's artifact files recursively, by path relative to the artifact root (with `/`). */
  listArtifacts(runId: string): ArtifactFile[] {
    const root = this.artifactDir(runId);
    const files: ArtifactFile[] = [];
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const path = join(dir, name);
        const stats = statSync(path);
        if (stats.isDirectory()) walk(path);
        else if (!name.includes('.tmp')) files.push({ path: relative(root, path).split(sep).join('/'), size: stats.size });
      }
    };
    walk(root);
    return files;
  }

  // ---- delivery bookkeeping, per server (`remote` is the tracking URI without credentials)

  getRemoteRun(remote: string, runId: string): RemoteRunLink | undefined {
    const row = this.db.prepare('SELECT remote_run_id, remote_experiment_id, artifact_uri FROM remote_runs WHERE remote = ? AND run_id = ?').get(remote, runId) as
      | { remote_run_id: string; remote_experiment_id: string; artifact_uri: string }
      | undefined;
    if (!row) return undefined;
    return { remoteRunId: row.remote_run_id, remoteExperimentId: row.remote_experiment_id, artifactUri: row.artifact_uri };
  }

  setRemoteRun(remote: string, runId: string, link: RemoteRunLink): void {
    this.db
      .prepare('INSERT OR REPLACE INTO remote_runs (remote, run_id, remote_run_id, remote_experiment_id, artifact_uri) VALUES (?, ?, ?, ?, ?)')
      .run(remote, runId, link.remoteRunId, link.remoteExperimentId, link.artifactUri);
  }

  /** Returns the items of `kind` of a run already delivered to `remote`. */
  sentItems(remote: string, runId: string, kind: SentKind): Set<string> {
    const rows = this.db.prepare('SELECT item FROM sent WHERE remote = ? AND run_id = ? AND kind = ?').all(remote, runId, kind) as { item: string }[];
    return new Set(rows.map((row) => row.item));
  }

  /** Records items as delivered to `remote`. */
  markSent(remote: string, runId: string, kind: SentKind, items: Iterable<string>): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO sent (remote, run_id, kind, item) VALUES (?, ?, ?, ?)');
    const write = this.db.transaction(() => {
      for (const item of items) insert.run(remote, runId, kind, item);
    });
    write.immediate();
  }

  /**
   * Records tag values as delivered to `remote`, replacing the record of any
   * earlier value of the same key, so a tag set back to an old value is sent again.
   */
  markTagsSent(remote: string, runId: string, tags: RunTag[]): void {
    const forget = this.db.prepare("DELETE FROM sent WHERE remote = ? AND run_id = ? AND kind = 'tag' AND substr(item, 1, length(?)) = ?");
    const insert = this.db.prepare("INSERT OR IGNORE INTO sent (remote, run_id, kind, item) VALUES (?, ?, 'tag', ?)");
    const write = this.db.transaction(() => {
      for (const tag of tags) {
        const prefix = `${tag.key}\u001f`;
        forget.run(remote, runId, prefix, prefix);
        insert.run(remote, runId, prefix + tag.value);
      }
    });
    write.immediate();
  }

  /** Returns the metric rows of a run not yet delivered to `remote`. */
  unsentMetrics(remote: string, runId: string): StoredMetric[] {
    return this.db
      .prepare(
        `SELECT m.id, m.key, m.value, m.timestamp, m.step FROM metrics m
         WHERE m.run_id = ? AND NOT EXISTS (
           SELECT 1 FROM sent s WHERE s.remote = ? AND s.run_id = m.run_id AND s.kind = 'metric' AND s.item = CAST(m.id AS TEXT))
         ORDER BY m.id`,
      )
      .all(runId, remote) as StoredMetric[];
  }

  /** Returns the servers a run has been delivered to, by their display URI. */
  remotesOf(runId: string): string[] {
    const rows = this.db.prepare('SELECT remote FROM remote_runs WHERE run_id = ? ORDER BY remote').all(runId) as { remote: string }[];
    return rows.map((row) => row.remote);
  }
}
