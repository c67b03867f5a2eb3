/**
 * A run handle: everything logged to one run goes through it, so concurrent
 * trials each hold their own handle and nothing depends on a global "active
 * run". Each call validates against MLflow's limits, writes to the local store,
 * then delivers to the server when one is configured.
 */
import { randomUUID } from 'node:crypto';
import { cp, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { packageVersion } from '../version.js';
import { SystemTags, TERMINAL_STATUSES, type Metric, type RunInfo, type RunStatus } from './entities.js';
import { logModelHistoryEntry, renderMLmodel, type ModelSignature } from './model-descriptor.js';
import type { DeliveryParts } from './sync.js';
import type { LocalStore } from './stores/local.js';
import { validateMetric, validateParam, validateTag, type LengthPolicy } from './validation.js';

/** The services a run handle uses from its client. */
export interface RunBackend {
  readonly local: LocalStore;
  readonly lengthPolicy: LengthPolicy;
  /** Delivers the run's new values to the server, if any. Failures become warning events, not exceptions. */
  deliver(runId: string, parts?: DeliveryParts): Promise<void>;
  /** Called once when the run has ended and its end was delivered (or kept local). */
  runEnded(runId: string): void;
}

/** When and at which step a metric value was measured. */
export interface MetricOptions {
  /** Integer step, such as the trial number or the iteration; default 0. */
  step?: number;
  /** Milliseconds since the Unix epoch; default now. */
  timestamp?: number;
}

/** Options of {@link RunHandle.logModel}. */
export interface LogModelOptions {
  /** Folder of the model inside the run's artifacts; default `model`. */
  artifactPath?: string;
  /** Input (and output) columns, written into `MLmodel` so MLflow shows the signature. */
  signature?: ModelSignature;
  /** Extra keys of the `grooviest` flavour, such as `format: 'kmeans-pipeline'`. */
  flavor?: Record<string, string | number>;
}

// Artifact paths are relative, with `/` separators and no `..`, like MLflow's.
function checkArtifactPath(path: string): string {
  const normalised = path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  if (normalised.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new InputError(`invalid artifact path: ${path} (give a path inside the run's artifacts, without "." or ".." segments)`);
  }
  return normalised;
}

/** An open run. Create it with `TrackingClient.startRun`; end it with {@link RunHandle.end}. */
export class RunHandle {
  private ended = false;

  constructor(
    /** The run's id in the local store (32 hex digits). */
    readonly runId: string,
    readonly experimentId: string,
    readonly runName: string,
    private readonly backend: RunBackend,
  ) {}

  /** Returns the run's current metadata. */
  info(): RunInfo {
    return this.backend.local.getRunInfo(this.runId);
  }

  /** True once {@link RunHandle.end} has been called. */
  get isEnded(): boolean {
    return this.ended;
  }

  private checkOpen(): void {
    if (this.ended) throw new InputError(`run ${this.runId} (${this.runName}) has ended; start a new run to log more`);
  }

  /** Logs one param. A param never changes: logging another value for the same key throws an error naming both. */
  async logParam(key: string, value: unknown): Promise<void> {
    await this.logParams({ [key]: value });
  }

  /** Logs several params at once; nothing is written when one of them is invalid. */
  async logParams(params: Record<string, unknown>): Promise<void> {
    this.checkOpen();
    const checked = Object.entries(params).map(([key, value]) => ({ key, value: validateParam(key, value, this.backend.lengthPolicy) }));
    this.backend.local.logBatch(this.runId, { params: checked });
    await this.backend.deliver(this.runId, { artifacts: false });
  }

  /** Logs one metric value at a step (default 0) and time (default now). Non-finite values are rejected. */
  async logMetric(key: string, value: number, options: MetricOptions = {}): Promise<void> {
    await this.logMetrics({ [key]: value }, options);
  }

  /** Logs several metric values with the same step and time. */
  async logMetrics(metrics: Record<string, number>, options: MetricOptions = {}): Promise<void> {
    this.checkOpen();
    const step = options.step ?? 0;
    const timestamp = options.timestamp ?? Date.now();
    const checked: Metric[] = Object.entries(metrics).map(([key, value]) => {
      validateMetric(key, value, step, timestamp);
      return { key, value, step, timestamp };
    });
    this.backend.local.logBatch(this.runId, { metrics: checked });
    await this.backend.deliver(this.runId, { artifacts: false });
  }

  /** Sets one tag; a tag may be set again with another value. */
  async setTag(key: string, value: unknown): Promise<void> {
    await this.setTags({ [key]: value });
  }

  /** Sets several tags at once. */
  async setTags(tags: Record<string, unknown>): Promise<void> {
    this.checkOpen();
    const checked = Object.entries(tags).map(([key, value]) => ({ key, value: validateTag(key, value, this.backend.lengthPolicy) }));
    this.backend.local.logBatch(this.runId, { tags: checked });
    await this.backend.deliver(this.runId, { artifacts: false });
  }

  /**
   * Copies a file or a folder into the run's artifacts, under `artifactPath`
   * (default: the root) with its own name, as MLflow's `log_artifact` does.
   */
  async logArtifact(localPath: string, artifactPath = ''): Promise<void> {
    this.checkOpen();
    const folder = checkArtifactPath(artifactPath);
    try {
      await stat(localPath);
    } catch {
      throw new InputError(`artifact not found: ${localPath} (give an existing file or folder)`);
    }
    const target = join(this.backend.local.artifactDir(this.runId), folder, basename(localPath));
    await cp(localPath, target, { recursive: true, force: true });
    await this.backend.deliver(this.runId);
  }

  /** Writes a JSON-serialisable value as the artifact `artifactFile` (such as `trials.json`). */
  async logDict(value: unknown, artifactFile: string): Promise<void> {
    await this.logText(JSON.stringify(value, null, 2) + '\n', artifactFile);
  }

  /** Writes text as the artifact `artifactFile` (such as `notes/summary.txt`). */
  async logText(text: string, artifactFile: string): Promise<void> {
    this.checkOpen();
    const path = checkArtifactPath(artifactFile);
    if (path === '') throw new InputError(`invalid artifact file: ${JSON.stringify(artifactFile)} (give a file name)`);
    await writeFileAtomic(join(this.backend.local.artifactDir(this.runId), path), text);
    await this.backend.deliver(this.runId);
  }

  /**
   * Stores a model folder as the artifacts under `artifactPath` (default
   * `model`) and writes an `MLmodel` descriptor there with a `grooviest`
   * flavour and the signature, so MLflow shows the folder as a model.
   */
  async logModel(modelDir: string, options: LogModelOptions = {}): Promise<void> {
    this.checkOpen();
    const artifactPath = checkArtifactPath(options.artifactPath ?? 'model');
    if (artifactPath === '') throw new InputError('invalid model artifact path: "" (give a folder name such as model)');
    let isFolder = false;
    try {
      isFolder = (await stat(modelDir)).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) throw new InputError(`model folder not found: ${modelDir} (give the folder the model was saved to)`);

    const target = join(this.backend.local.artifactDir(this.runId), artifactPath);
    await cp(modelDir, target, { recursive: true, force: true });
    const descriptor = {
      artifactPath,
      runId: this.runId,
      modelUuid: randomUUID().replace(/-/g, ''),
      createdAt: Date.now(),
      grooviestVersion: packageVersion(),
      signature: options.signature,
      flavor: options.flavor,
    };
    await writeFileAtomic(join(target, 'MLmodel'), renderMLmodel(descriptor));

    const previous = this.backend.local.getTag(this.runId, SystemTags.logModelHistory);
    const history = previous ? (JSON.parse(previous) as unknown[]) : [];
    history.push(logModelHistoryEntry(descriptor));
    this.backend.local.logBatch(this.runId, { tags: [{ key: SystemTags.logModelHistory, value: validateTag(SystemTags.logModelHistory, JSON.stringify(history)) }] });
    await this.backend.deliver(this.runId);
  }

  /**
   * Ends the run with `status` (default FINISHED; FAILED or KILLED otherwise)
   * and delivers everything still pending. A second call does nothing.
   */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    if (!TERMINAL_STATUSES.includes(status)) {
      throw new InputError(`invalid run status: ${status} (a run ends FINISHED, FAILED or KILLED)`);
    }
    this.ended = true;
    this.backend.local.updateRun(this.runId, status, Date.now());
    await this.backend.deliver(this.runId);
    this.backend.runEnded(this.runId);
  }
}
