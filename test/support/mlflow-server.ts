/**
 * A real MLflow tracking server for tests: `mlflow server` from the reference
 * venv on 127.0.0.1 (random free port), with an SQLite backend and proxied
 * artifacts in a temporary folder. Start one per test file; it can be killed
 * and restarted on the same database to test recovery.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './shared-data.js';

/** Path of the `mlflow` command of the reference venv. */
export const mlflowCommand = join(repoRoot, '.venv-reference', 'bin', 'mlflow');

/** Returns true when the reference venv has MLflow installed. */
export function hasMlflow(): boolean {
  return existsSync(mlflowCommand);
}

/** A running MLflow server. */
export interface MlflowServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Temporary folder with `mlflow.db`, `artifacts/` and `server.log`. */
  dir: string;
  /** Kills the server's process group at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and database. */
  restart(): Promise<void>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Environment of the server and of Python helpers: no telemetry, nothing leaves 127.0.0.1. */
export function mlflowEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };
  delete env.MLFLOW_TRACKING_URI;
  delete env.MLFLOW_TRACKING_TOKEN;
  delete env.MLFLOW_TRACKING_USERNAME;
  delete env.MLFLOW_TRACKING_PASSWORD;
  return { ...env, ...extra };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Starts `mlflow server` and waits until `/health` returns 200. The first
 * start migrates a fresh database, which takes several seconds; `timeoutMs`
 * (default 180000) bounds the wait.
 */
export async function startMlflowServer(options: { timeoutMs?: number; workers?: number } = {}): Promise<MlflowServer> {
  const dir = mkdtempSync(join(tmpdir(), 'grooviest-mlflow-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.timeoutMs ?? 180_000;
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const log = openSync(join(dir, 'server.log'), 'a');
    child = spawn(
      mlflowCommand,
      [
        'server',
        '--host', '127.0.0.1',
        '--port', String(port),
        '--workers', String(options.workers ?? 1),
        '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`,
        '--artifacts-destination', join(dir, 'artifacts'),
        '--serve-artifacts',
      ],
      { cwd: dir, env: mlflowEnv(), detached: true, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (child.exitCode !== null) break;
      try {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const tail = readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n');
    signalGroup(child, 'SIGKILL');
    throw new Error(`mlflow server did not answer on ${url} within ${timeoutMs} ms; last log lines:\n${tail}`);
  }

  async function kill(): Promise<void> {
    if (!child) return;
    signalGroup(child, 'SIGKILL');
    await waitForExit(child, 10_000);
    child = undefined;
  }

  await launch();
  return {
    url,
    port,
    dir,
    kill,
    restart: launch,
    async stop() {
      if (child) {
        signalGroup(child, 'SIGTERM');
        if (!(await waitForExit(child, 10_000))) await kill();
        child = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
