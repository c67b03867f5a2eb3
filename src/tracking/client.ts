/**
 * The tracking client: opens the local store, and the MLflow server when a
 * tracking URI is set, and starts runs as explicit handles. With a server,
 * every value is written locally first and then sent. When the server fails,
 * runs continue in the local store, a warning event reports it, and
 * `grooviest runs sync` delivers the rest later.
 */
import { userInfo } from 'node:os';
import type { OnEvent } from '../contracts/events.js';
import { ignoreEvents } from '../contracts/events.js';
import { packageVersion } from '../version.js';
import { SystemTags, type RunStatus, type RunTag } from './entities.js';
import { RunHandle, type RunBackend } from './run.js';
import type { RetryPolicy } from './stores/http.js';
import { LocalStore } from './stores/local.js';
import { RestStore } from './stores/rest.js';
import { RunDelivery, type DeliveryParts } from './sync.js';
import { DEFAULT_EXPERIMENT_NAME } from './config.js';
import { validateExperimentName, validateTag, type LengthPolicy } from './validation.js';

/** Options of {@link TrackingClient.open}. */
export interface TrackingClientOptions {
  /** Folder of the local store (created when missing). */
  trackingDir: string;
  /** `http(s)://…` or `databricks[://PROFILE]`; undefined keeps runs in the local store only. */
  trackingUri?: string;
  /** Experiment of runs started without one; default `Default`. */
  experimentName?: string;
  /** Cut over-long param and tag values with a warning instead of failing; default false. */
  truncate?: boolean;
  /** Environment for server credentials and retry settings; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Retry settings of server requests. */
  retry?: Partial<RetryPolicy>;
  /** Receives warnings (server unavailable, truncated values), retries and notices. */
  onEvent?: OnEvent;
}

/** Options of {@link TrackingClient.startRun}. */
export interface StartRunOptions {
  /** Experiment name, created when missing; default the client's experiment. */
  experiment?: string;
  /** Display name of the run (`mlflow.runName`); default `run-` and 8 hex digits of its id. */
  runName?: string;
  /** Parent run (a handle or a local run id): the new run becomes its child run. */
  parent?: RunHandle | string;
  /** Tags set when the run is created. */
  tags?: Record<string, string>;
  /** Milliseconds since the Unix epoch; default now. */
  startTime?: number;
  /**
   * Wait until the server has the run before returning; default true. With
   * false the run is created on the server in the background, before any
   * later value of it.
   */
  waitForServer?: boolean;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Starts and tracks runs in the local store and, when configured, on an MLflow server. */
export class TrackingClient implements RunBackend {
  readonly local: LocalStore;
  /** The server, when a tracking URI is set. */
  readonly remote?: RestStore;
  readonly lengthPolicy: LengthPolicy;
  private readonly experimentName: string;
  private readonly onEvent: OnEvent;
  private readonly delivery?: RunDelivery;
  private remoteFailure: string | undefined;
  private readonly pending = new Map<string, Promise<void>>();
  /** Per run, the delivery queued behind the one in flight, which later requests join. */
  private readonly waiting = new Map<string, { parts: DeliveryParts; done: Promise<void> }>();
  private readonly newRuns = new Set<string>();
  private readonly openRuns = new Map<string, RunHandle>();

  private constructor(options: TrackingClientOptions, local: LocalStore, remote?: RestStore) {
    this.local = local;
    this.remote = remote;
    this.onEvent = options.onEvent ?? ignoreEvents;
    this.lengthPolicy = { truncate: options.truncate ?? false, onEvent: this.onEvent };
    this.experimentName = options.experimentName ?? DEFAULT_EXPERIMENT_NAME;
    validateExperimentName(this.experimentName);
    if (remote) this.delivery = new RunDelivery(local, remote, this.onEvent);
  }

  /** Opens the local store (and checks the tracking URI); no request is sent before the first run. */
  static open(options: TrackingClientOptions): TrackingClient {
    const remote = options.trackingUri ? new RestStore(options.trackingUri, { env: options.env, retry: options.retry, onEvent: options.onEvent }) : undefined;
    const local = LocalStore.open(options.trackingDir);
    return new TrackingClient(options, local, remote);
  }

  /** The server's URI without credentials, or undefined for the local store only. */
  get remoteUri(): string | undefined {
    return this.remote?.displayUri;
  }

  /** Reason delivery to the server stopped; undefined while it works or when no server is set. */
  get remoteFailureReason(): string | undefined {
    return this.remoteFailure;
  }

  /** Starts a RUNNING run and returns its handle. */
  async startRun(options: StartRunOptions = {}): Promise<RunHandle> {
    const experimentName = options.experiment ?? this.experimentName;
    validateExperimentName(experimentName);
    let parentId: string | undefined;
    if (typeof options.parent === 'string') parentId = this.local.resolveRunId(options.parent);
    else if (options.parent !== undefined) parentId = options.parent.runId;
    const experiment = this.local.getOrCreateExperiment(experimentName);

    const tags: RunTag[] = [];
    for (const [key, value] of Object.entries(options.tags ?? {})) tags.push({ key, value: validateTag(key, value, this.lengthPolicy) });
    const systemTags: Record<string, string> = {
      [SystemTags.user]: currentUser(),
      [SystemTags.sourceName]: 'grooviest',
      [SystemTags.sourceType]: 'LOCAL',
      'grooviest.version': packageVersion(),
    };
    if (parentId) systemTags[SystemTags.parentRunId] = parentId;
    for (const [key, value] of Object.entries(systemTags)) {
      if (!tags.some((tag) => tag.key === key)) tags.push({ key, value });
    }

    const info = this.local.createRun({ experimentId: experiment.experimentId, runName: options.runName ?? '', startTime: options.startTime ?? Date.now(), tags });
    const runName = info.runName;
    this.local.logBatch(info.runId, {
      tags: [
        { key: SystemTags.runName, value: validateTag(SystemTags.runName, runName, this.lengthPolicy) },
        { key: SystemTags.grooviestRunId, value: info.runId },
      ],
    });

    this.newRuns.add(info.runId);
    const created = this.deliver(info.runId, { artifacts: false });
    if (options.waitForServer !== false) await created;
    const handle = new RunHandle(info.runId, experiment.experimentId, runName, this);
    this.openRuns.set(info.runId, handle);
    return handle;
  }

  /**
   * Runs `fn` with a new run and ends it FINISHED, or FAILED when `fn`
   * throws (the error is rethrown): a failure never leaves a run RUNNING.
   */
  async withRun<T>(options: StartRunOptions, fn: (run: RunHandle) => Promise<T>): Promise<T> {
    const run = await this.startRun(options);
    let result: T;
    try {
      result = await fn(run);
    } catch (error) {
      await run.end('FAILED');
      throw error;
    }
    await run.end('FINISHED');
    return result;
  }

  /**
   * Delivers a run's new values to the server. Deliveries of one run are
   * sent one after another. A delivery requested while another one of the
   * same run is still waiting to start joins it, because a delivery reads what
   * to send from the local store when it starts. A failure stops delivery for
   * this client and reports a `tracking-server-unavailable` warning, never an
   * exception.
   */
  deliver(runId: string, parts: DeliveryParts = {}): Promise<void> {
    const delivery = this.delivery;
    if (!delivery || this.remoteFailure !== undefined) return Promise.resolve();
    const waiting = this.waiting.get(runId);
    if (waiting) {
      if (parts.artifacts !== false) waiting.parts.artifacts = true;
      return waiting.done;
    }
    const entry = { parts: { ...parts }, done: Promise.resolve() };
    const previous = this.pending.get(runId) ?? Promise.resolve();
    entry.done = previous.then(async () => {
      // From here on, newly logged values need a delivery of their own.
      this.waiting.delete(runId);
      if (this.remoteFailure !== undefined) return;
      try {
        const isNew = this.newRuns.delete(runId);
        await delivery.deliverRun(runId, entry.parts, { isNew });
      } catch (error) {
        this.stopDelivery(error);
      }
    });
    this.waiting.set(runId, entry);
    this.pending.set(runId, entry.done);
    return entry.done;
  }

  private stopDelivery(error: unknown): void {
    if (this.remoteFailure !== undefined) return;
    this.remoteFailure = error instanceof Error ? error.message : String(error);
    this.onEvent({
      type: 'warning',
      code: 'tracking-server-unavailable',
      message:
        `MLflow server ${this.remote!.displayUri} failed (${this.remoteFailure}); runs continue in the local store ${this.local.dir}. ` +
        `Deliver them later with: grooviest runs sync --to ${this.remote!.displayUri} --tracking-dir ${this.local.dir}`,
      details: { remote: this.remote!.displayUri, trackingDir: this.local.dir },
    });
  }

  /** Reports a run whose end could not be delivered, so the user knows what to sync. */
  runEnded(runId: string): void {
    this.pending.delete(runId);
    this.openRuns.delete(runId);
    if (!this.remote || this.remoteFailure === undefined) return;
    const info = this.local.getRunInfo(runId);
    this.onEvent({
      type: 'info',
      code: 'run-kept-local',
      message: `run ${info.runName} (${runId}) ended ${info.status} in the local store only; deliver it with: grooviest runs sync --to ${this.remote.displayUri}`,
      details: { runId, status: info.status as RunStatus, remote: this.remote.displayUri },
    });
  }

  /**
   * Ends every run of this client that is still open, children before
   * parents, with `status` (default KILLED). Call it when the process is
   * interrupted, so that no run is left RUNNING.
   */
  async endOpenRuns(status: RunStatus = 'KILLED'): Promise<void> {
    const handles = [...this.openRuns.values()].reverse();
    for (const handle of handles) await handle.end(status);
  }

  /** Waits for pending deliveries and closes the local store. */
  async close(): Promise<void> {
    await Promise.all(this.pending.values());
    this.local.close();
  }
}
