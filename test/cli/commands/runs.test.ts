import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TrackingClient } from '../../../src/tracking/client.js';
import { freePort, hasMlflow, mlflowEnv, startMlflowServer, type MlflowServer } from '../../support/mlflow-server.js';
import { searchRuns } from '../../support/mlflow-rest.js';
import { cliPath } from '../../support/cli.js';

const bin = cliPath;

/** Runs the grooviest CLI in `cwd` and returns its exit code, stdout and stderr. */
function grooviest(cwd: string, args: string[], env: NodeJS.ProcessEnv = mlflowEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('runs command', () => {
  let dir: string;
  let server: MlflowServer | undefined;
  const ids: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grooviest-runs-cli-'));
    const client = TrackingClient.open({ trackingDir: join(dir, '.grooviest'), experimentName: 'cli' });
    const parent = await client.startRun({ runName: 'k_means' });
    ids.parent = parent.runId;
    for (const k of [3, 6]) {
      await client.withRun({ runName: `trial-${k}`, parent }, async (run) => {
        ids[`trial-${k}`] = run.runId;
        await run.logParam('k', k);
        await run.logMetric('loss', -1 / k, { step: 0 });
        await run.logMetric('loss', -2 / k, { step: 1 });
      });
    }
    await parent.logText('summary\n', 'summary.txt');
    await parent.end();
    await client.close();
    if (hasMlflow()) server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs list: parent runs only', async () => {
    const result = await grooviest(dir, ['runs', 'list', '--format', 'json']);
    const rows = JSON.parse(result.stdout) as { run_name: string; trials: number }[];
    assert.equal(result.code, 0);
    assert.deepEqual(rows.map((row) => row.run_name), ['k_means']);
    assert.equal(rows[0].trials, 2);
  });

  test('runs list: nested rows', async () => {
    const result = await grooviest(dir, ['runs', 'list', '--nested', '--format', 'json']);
    const rows = JSON.parse(result.stdout) as { run_name: string; parent_run_id: string | null; status: string }[];
    assert.equal(result.code, 0);
    assert.deepEqual(rows.map((row) => row.run_name).sort(), ['k_means', 'trial-3', 'trial-6']);
    assert.equal(rows.find((row) => row.run_name === 'trial-3')!.parent_run_id, ids.parent);
  });

  test('runs list: table by default', async () => {
    const result = await grooviest(dir, ['runs', 'list', '--experiment', 'cli']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\| run_id +\| experiment \| run_name/);
  });

  test('runs show: prefix and params', async () => {
    const result = await grooviest(dir, ['runs', 'show', ids['trial-6'].slice(0, 8), '--json']);
    const shown = JSON.parse(result.stdout) as { info: { runName: string }; params: { key: string; value: string }[]; metrics: { value: number; step: number }[] };
    assert.equal(shown.info.runName, 'trial-6');
    assert.deepEqual(shown.params, [{ key: 'k', value: '6' }]);
    assert.deepEqual(shown.metrics.map((metric) => [metric.step, metric.value]), [[1, -2 / 6]]);
  });

  test('runs compare: side by side', async () => {
    const result = await grooviest(dir, ['runs', 'compare', ids['trial-3'], ids['trial-6'], '--json']);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    const k = rows.find((row) => row.key === 'k')!;
    const loss = rows.find((row) => row.key === 'loss')!;
    assert.deepEqual(Object.values(k).slice(2), ['3', '6']);
    assert.deepEqual(Object.values(loss).slice(2), [-2 / 3, -2 / 6]);
  });

  test('runs compare: one run is invalid', async () => {
    const result = await grooviest(dir, ['runs', 'compare', ids['trial-3']]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /at least 2 run ids/);
  });

  test('runs list: missing store exits 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'grooviest-runs-empty-'));
    const result = await grooviest(empty, ['runs', 'list']);
    rmSync(empty, { recursive: true, force: true });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no tracking store in .*\.grooviest/);
  });

  test('runs show: unknown run exits 2', async () => {
    const result = await grooviest(dir, ['runs', 'show', 'ffffffff']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /run not found: ffffffff/);
  });

  test('runs sync: sqlite URI explained', async () => {
    const result = await grooviest(dir, ['runs', 'sync', '--to', 'sqlite:///mlflow.db']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /mlflow server --backend-store-uri sqlite:\/\/\/mlflow\.db/);
  });

  test('runs sync: delivers then sends nothing', async (t) => {
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');
    const first = await grooviest(dir, ['runs', 'sync', '--to', server.url, '--json']);
    const second = await grooviest(dir, ['runs', 'sync', '--json'], mlflowEnv({ MLFLOW_TRACKING_URI: server.url }));
    const firstRows = JSON.parse(first.stdout) as { created: boolean; metrics: number; artifacts: number }[];
    const secondRows = JSON.parse(second.stdout) as { created: boolean; params: number; tags: number; metrics: number; artifacts: number }[];
    const remote = await searchRuns(server.url, 'cli');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(firstRows.filter((row) => row.created).length, 3);
    assert.equal(firstRows.reduce((sum, row) => sum + row.metrics, 0), 4);
    assert.equal(firstRows.reduce((sum, row) => sum + row.artifacts, 0), 1);
    assert.equal(secondRows.reduce((sum, row) => sum + row.params + row.tags + row.metrics + row.artifacts, 0), 0);
    assert.equal(secondRows.some((row) => row.created), false);
    assert.equal(remote.length, 3);
    assert.match(first.stderr, /synced 3 runs to http:\/\/127\.0\.0\.1:\d+: 3 created/);
  });

  test('runs sync: unreachable server exits 1', async () => {
    const closed = await freePort();
    const env = mlflowEnv({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' });
    const result = await grooviest(dir, ['runs', 'sync', '--to', `http://ann:hunter2@127.0.0.1:${closed}`], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /NETWORK_ERROR/);
    assert.equal(result.stderr.includes('hunter2'), false);
  });

  test('runs delete: hidden from list', async () => {
    const deleted = await grooviest(dir, ['runs', 'delete', ids['trial-3']]);
    const listed = await grooviest(dir, ['runs', 'list', '--nested', '--json']);
    const rows = JSON.parse(listed.stdout) as { run_id: string }[];
    assert.equal(deleted.code, 0);
    assert.equal(rows.some((row) => row.run_id === ids['trial-3']), false);
  });
});
