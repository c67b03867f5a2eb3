import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveTrackingSettings } from '../../src/tracking/config.js';
import { readDatabricksProfile, resolveConnection } from '../../src/tracking/credentials.js';
import { parseTrackingUri, redactUri } from '../../src/tracking/uri.js';

test('parseTrackingUri: http server', () => {
  assert.deepEqual(parseTrackingUri('http://127.0.0.1:5000/'), { kind: 'rest', baseUrl: 'http://127.0.0.1:5000', username: undefined, password: undefined });
});

test('parseTrackingUri: sqlite explains mlflow server', () => {
  assert.throws(() => parseTrackingUri('sqlite:///mlflow.db'), /mlflow server --backend-store-uri sqlite:\/\/\/mlflow\.db/);
});

test('parseTrackingUri: file store explains mlflow server', () => {
  assert.throws(() => parseTrackingUri('file:///tmp/mlruns'), /mlflow server --backend-store-uri/);
});

test('parseTrackingUri: plain path rejected', () => {
  assert.throws(() => parseTrackingUri('./mlruns'), /mlflow server/);
});

test('parseTrackingUri: databricks profile', () => {
  assert.deepEqual(parseTrackingUri('databricks://work'), { kind: 'databricks', profile: 'work' });
});

test('redactUri: strips user and password', () => {
  assert.equal(redactUri('https://ann:s3cret@mlflow.example:443/x'), 'https://mlflow.example/x');
});

test('redactUri: masks token query values', () => {
  assert.equal(redactUri('https://h/?token=abc&x=1').includes('abc'), false);
});

test('parseTrackingUri: error hides the password', () => {
  assert.throws(() => parseTrackingUri('postgresql://ann:s3cret@db/mlflow'), (error: Error) => !error.message.includes('s3cret'));
});

test('resolveConnection: databricks from environment', () => {
  const connection = resolveConnection('databricks', { DATABRICKS_HOST: 'adb-1.azuredatabricks.net', DATABRICKS_TOKEN: 'dapi1' });
  assert.equal(connection.baseUrl, 'https://adb-1.azuredatabricks.net');
  assert.equal(connection.authorization, 'Bearer dapi1');
});

test('resolveConnection: databricks from databrickscfg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grooviest-dbcfg-'));
  const path = join(dir, 'cfg');
  writeFileSync(path, '[DEFAULT]\nhost = https://a.cloud.databricks.com\ntoken = t1\n\n[work]\nhost = https://w.cloud.databricks.com/\ntoken = t2\n');
  const connection = resolveConnection('databricks://work', { DATABRICKS_CONFIG_FILE: path });
  const profile = readDatabricksProfile(path, 'DEFAULT');
  rmSync(dir, { recursive: true, force: true });
  assert.equal(connection.baseUrl, 'https://w.cloud.databricks.com');
  assert.equal(connection.authorization, 'Bearer t2');
  assert.equal(profile?.token, 't1');
});

test('resolveConnection: databricks without credentials', () => {
  assert.throws(() => resolveConnection('databricks', { DATABRICKS_CONFIG_FILE: '/nonexistent/cfg' }), /DATABRICKS_HOST and DATABRICKS_TOKEN/);
});

test('resolveTrackingSettings: flags over env over config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grooviest-config-'));
  writeFileSync(join(dir, 'grooviest.config.json'), JSON.stringify({ tracking: { uri: 'http://config:1', experiment: 'from-config', dir: 'cfg-dir' } }));
  const fromConfig = resolveTrackingSettings({}, {}, dir);
  const fromEnv = resolveTrackingSettings({}, { MLFLOW_TRACKING_URI: 'http://env:1', MLFLOW_EXPERIMENT_NAME: 'from-env' }, dir);
  const fromFlags = resolveTrackingSettings({ trackingUri: 'http://flag:1', experiment: 'from-flag', trackingDir: 'flag-dir' }, { MLFLOW_TRACKING_URI: 'http://env:1' }, dir);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual([fromConfig.trackingUri, fromConfig.experimentName, fromConfig.trackingDir], ['http://config:1', 'from-config', join(dir, 'cfg-dir')]);
  assert.deepEqual([fromEnv.trackingUri, fromEnv.experimentName], ['http://env:1', 'from-env']);
  assert.deepEqual([fromFlags.trackingUri, fromFlags.experimentName, fromFlags.trackingDir], ['http://flag:1', 'from-flag', join(dir, 'flag-dir')]);
});

test('resolveTrackingSettings: defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grooviest-config-'));
  const settings = resolveTrackingSettings({}, {}, dir);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(settings, { trackingDir: join(dir, '.grooviest'), trackingUri: undefined, experimentName: 'Default', truncate: false });
});

test('resolveTrackingSettings: password in config rejected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grooviest-config-'));
  writeFileSync(join(dir, 'grooviest.config.json'), JSON.stringify({ tracking: { uri: 'http://ann:pw@h:1' } }));
  assert.throws(() => resolveTrackingSettings({}, {}, dir), (error: Error) => /MLFLOW_TRACKING_PASSWORD/.test(error.message) && !error.message.includes(':pw@'));
  rmSync(dir, { recursive: true, force: true });
});
