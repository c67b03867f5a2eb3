import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { GrooviestEvent } from '../../../src/contracts/events.js';
import { MlflowRestError } from '../../../src/tracking/stores/http.js';
import { ArtifactsUnsupportedError, LOG_BATCH_LIMITS, RestStore, splitLogBatch } from '../../../src/tracking/stores/rest.js';
import { hasMlflow, startMlflowServer, type MlflowServer } from '../../support/mlflow-server.js';
import { getRun, listArtifactFiles, metricHistory } from '../../support/mlflow-rest.js';

const SKIP = 'MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)';

function metrics(count: number) {
  return Array.from({ length: count }, (_, step) => ({ key: 'loss', value: step / 2, timestamp: 1_700_000_000_000 + step, step }));
}

/** A stand-in server on 127.0.0.1 that returns canned responses in order and records the requests. */
async function standIn(responses: { status: number; body: string; headers?: Record<string, string> }[]) {
  const requests: { method: string; url: string; authorization?: string }[] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
    request.resume();
    const next = responses.shift() ?? { status: 200, body: '{}' };
    response.writeHead(next.status, { 'Content-Type': 'application/json', ...next.headers });
    response.end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('rest store splitting', () => {
  test('splitLogBatch: 2500 metrics in three requests', () => {
    const requests = splitLogBatch({ metrics: metrics(2500), params: [], tags: [] });
    assert.deepEqual(requests.map((request) => request.metrics.length), [1000, 1000, 500]);
  });

  test('splitLogBatch: 250 params at most 100 each', () => {
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const requests = splitLogBatch({ metrics: [], params, tags: [] });
    assert.deepEqual(requests.map((request) => request.params.length), [100, 100, 50]);
  });

  test('splitLogBatch: total of 1000 items', () => {
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const requests = splitLogBatch({ metrics: metrics(900), params, tags });
    const sizes = requests.map((request) => request.params.length + request.tags.length + request.metrics.length);
    assert.equal(Math.max(...sizes), LOG_BATCH_LIMITS.total);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 1100);
  });

  test('splitLogBatch: body under 1 MB', () => {
    const tags = Array.from({ length: 300 }, (_, i) => ({ key: `t${i}`, value: 'x'.repeat(8000) }));
    const requests = splitLogBatch({ metrics: [], params: [], tags });
    const largest = Math.max(...requests.map((request) => Buffer.byteLength(JSON.stringify(request))));
    assert.ok(largest <= LOG_BATCH_LIMITS.bytes, `largest request ${largest} bytes`);
    assert.equal(requests.reduce((sum, request) => sum + request.tags.length, 0), 300);
  });
});

describe('rest store retries', () => {
  test('retry: 503 then success', async () => {
    const stub = await standIn([
      { status: 503, body: '{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}' },
      { status: 429, body: '{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}', headers: { 'Retry-After': '0' } },
      { status: 200, body: '{"experiment":{"experiment_id":"7","name":"x","lifecycle_stage":"active"}}' },
    ]);
    const events: GrooviestEvent[] = [];
    const store = new RestStore(stub.url, { retry: { baseDelayMs: 1 }, onEvent: (event) => events.push(event), env: {} });
    const experiment = await store.getExperimentByName('x');
    await stub.close();
    assert.equal(stub.requests.length, 3);
    assert.equal(events.filter((event) => event.type === 'retry').length, 2);
    assert.equal(experiment?.experimentId, '7');
  });

  test('retry: permanent error not retried', async () => {
    const stub = await standIn([{ status: 400, body: '{"error_code":"INVALID_PARAMETER_VALUE","message":"bad key"}' }]);
    const store = new RestStore(stub.url, { retry: { baseDelayMs: 1 }, env: {} });
    const error = await store.updateRun('abc', 'FINISHED', 1).catch((caught: unknown) => caught);
    await stub.close();
    assert.equal(stub.requests.length, 1);
    assert.ok(error instanceof MlflowRestError);
    assert.equal(error.errorCode, 'INVALID_PARAMETER_VALUE');
    assert.match(error.message, /bad key/);
  });

  test('retry: gives up after maxRetries', async () => {
    const stub = await standIn(Array.from({ length: 5 }, () => ({ status: 502, body: 'Bad Gateway' })));
    const store = new RestStore(stub.url, { retry: { baseDelayMs: 1, maxRetries: 2 }, env: {} });
    const error = await store.updateRun('abc', 'FINISHED', 1).catch((caught: unknown) => caught);
    await stub.close();
    assert.equal(stub.requests.length, 3);
    assert.ok(error instanceof MlflowRestError);
    assert.equal(error.transient, true);
  });

  test('retry: connection refused is retried', async () => {
    const stub = await standIn([]);
    await stub.close();
    const events: GrooviestEvent[] = [];
    const store = new RestStore(stub.url, { retry: { baseDelayMs: 1, maxRetries: 2 }, onEvent: (event) => events.push(event), env: {} });
    const error = await store.updateRun('abc', 'FINISHED', 1).catch((caught: unknown) => caught);
    assert.ok(error instanceof MlflowRestError);
    assert.equal(error.errorCode, 'NETWORK_ERROR');
    assert.equal(events.length, 2);
  });

  test('redirect: 307 resends the POST body', async () => {
    const seen: { method: string; url: string; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, body });
        if (request.url!.startsWith('/api/')) {
          response.writeHead(307, { Location: `/moved${request.url}` });
          response.end();
        } else {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const store = new RestStore(`http://127.0.0.1:${port}`, { retry: { baseDelayMs: 1, maxRetries: 0 }, env: {} });
    await store.updateRun('abc', 'FINISHED', 1);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(seen.length, 2);
    assert.equal(seen[1].method, 'POST');
    assert.match(seen[1].url, /^\/moved\/api\/2.0\/mlflow\/runs\/update/);
    assert.equal(seen[1].body, seen[0].body);
    assert.match(seen[1].body, /FINISHED/);
  });

  test('network error names the code', async () => {
    const stub = await standIn([]);
    await stub.close();
    const store = new RestStore(stub.url, { retry: { baseDelayMs: 1, maxRetries: 0 }, env: {} });
    const error = await store.updateRun('abc', 'FINISHED', 1).catch((caught: unknown) => caught);
    assert.ok(error instanceof MlflowRestError);
    assert.match(error.message, /ECONNREFUSED at 127\.0\.0\.1:\d+/);
  });

  test('retry: timeout is retried', async () => {
    const requests: string[] = [];
    const silent = createServer((request) => {
      requests.push(request.url!);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const store = new RestStore(`http://127.0.0.1:${port}`, { retry: { baseDelayMs: 1, maxRetries: 1, timeoutMs: 200 }, env: {} });
    const error = await store.updateRun('abc', 'FINISHED', 1).catch((caught: unknown) => caught);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    assert.equal(requests.length, 2);
    assert.ok(error instanceof MlflowRestError);
    assert.match(error.message, /timed out/);
  });

  test('auth: bearer token from MLFLOW_TRACKING_TOKEN', async () => {
    const stub = await standIn([{ status: 200, body: '{}' }]);
    const store = new RestStore(stub.url, { env: { MLFLOW_TRACKING_TOKEN: 'secret-token' } });
    await store.updateRun('abc', 'FINISHED', 1);
    await stub.close();
    assert.equal(stub.requests[0].authorization, 'Bearer secret-token');
  });

  test('auth: basic from username and password', async () => {
    const stub = await standIn([{ status: 200, body: '{}' }]);
    const store = new RestStore(stub.url, { env: { MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 'pw' } });
    await store.updateRun('abc', 'FINISHED', 1);
    await stub.close();
    assert.equal(stub.requests[0].authorization, 'Basic ' + Buffer.from('ann:pw').toString('base64'));
  });

  test('databricks: host and token from environment', async () => {
    const stub = await standIn([{ status: 200, body: '{"run":{"info":{"run_id":"r1","experiment_id":"5","status":"RUNNING","artifact_uri":"dbfs:/databricks/mlflow-tracking/5/r1/artifacts","lifecycle_stage":"active"}}}' }]);
    const store = new RestStore('databricks', { env: { DATABRICKS_HOST: stub.url, DATABRICKS_TOKEN: 'dapi-secret' } });
    const run = await store.createRun({ experimentId: '5', runName: 'x', startTime: 1, tags: [] });
    await stub.close();
    assert.equal(stub.requests[0].url, '/api/2.0/mlflow/runs/create');
    assert.equal(stub.requests[0].authorization, 'Bearer dapi-secret');
    assert.equal(store.displayUri, 'databricks');
    assert.throws(() => store.artifactProxyPath(run.info.artifactUri), /dbfs: location/);
  });

  test('auth: URI credentials never in displayUri', async () => {
    const store = new RestStore('http://ann:pw@127.0.0.1:9/', { env: {} });
    assert.equal(store.displayUri, 'http://127.0.0.1:9');
  });

  test('artifacts: dbfs artifact URI explained', () => {
    const store = new RestStore('http://127.0.0.1:9', { env: {} });
    assert.throws(() => store.artifactProxyPath('dbfs:/databricks/mlflow-tracking/1/abc/artifacts'), ArtifactsUnsupportedError);
  });
});

describe('rest store against MLflow', () => {
  let server: MlflowServer | undefined;

  before(async () => {
    if (hasMlflow()) server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
  });

  test('rest: 2500 metric values in one history', async (t) => {
    if (!server) return t.skip(SKIP);
    const store = new RestStore(server.url, { env: {} });
    const experimentId = await store.getOrCreateExperiment('rest-batches');
    const run = await store.createRun({ experimentId, runName: 'many', startTime: Date.now(), tags: [{ key: 'mlflow.user', value: 'test' }] });
    const requests = await store.logBatch(run.info.runId, { metrics: metrics(2500), params: [{ key: 'k', value: '3' }], tags: [] });
    const history = await metricHistory(server.url, run.info.runId, 'loss');
    assert.equal(requests, 3);
    assert.equal(history.length, 2500);
    assert.deepEqual(history.slice(0, 3).map((point) => point.value), [0, 0.5, 1]);
  });

  test('rest: experiment created once', async (t) => {
    if (!server) return t.skip(SKIP);
    const store = new RestStore(server.url, { env: {} });
    const [a, b] = await Promise.all([store.getOrCreateExperiment('rest-race'), store.getOrCreateExperiment('rest-race')]);
    assert.equal(a, b);
  });

  test('rest: changed param is INVALID_PARAMETER_VALUE', async (t) => {
    if (!server) return t.skip(SKIP);
    const store = new RestStore(server.url, { env: {} });
    const experimentId = await store.getOrCreateExperiment('rest-batches');
    const run = await store.createRun({ experimentId, runName: 'param', startTime: Date.now(), tags: [] });
    await store.logBatch(run.info.runId, { metrics: [], params: [{ key: 'k', value: '3' }], tags: [] });
    const error = await store.logBatch(run.info.runId, { metrics: [], params: [{ key: 'k', value: '4' }], tags: [] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof MlflowRestError);
    assert.equal(error.errorCode, 'INVALID_PARAMETER_VALUE');
  });

  test('rest: artifact upload and status', async (t) => {
    if (!server) return t.skip(SKIP);
    const store = new RestStore(server.url, { env: {} });
    const experimentId = await store.getOrCreateExperiment('rest-batches');
    const run = await store.createRun({ experimentId, runName: 'files', startTime: Date.now(), tags: [] });
    await store.uploadArtifact(run.info.artifactUri, 'dir with space/a.txt', new TextEncoder().encode('a text'));
    await store.updateRun(run.info.runId, 'KILLED', Date.now());
    const files = await listArtifactFiles(server.url, run.info.runId);
    const back = new TextDecoder().decode(await store.downloadArtifact(run.info.artifactUri, 'dir with space/a.txt'));
    assert.deepEqual(files, [{ path: 'dir with space/a.txt', size: 6 }]);
    assert.equal(back, 'a text');
    assert.equal((await getRun(server.url, run.info.runId)).info.status, 'KILLED');
  });
});
