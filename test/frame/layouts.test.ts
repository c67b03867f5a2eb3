import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../../src/frame/engines.js';
import { parseColumnOverrides } from '../../src/frame/layouts.js';
import { runCli, temporaryDir } from '../support/cli.js';

const FEATURES = { danceability: 0.5, energy: 0.6, key: 5, loudness: -7.5, mode: 1, speechiness: 0.04, acousticness: 0.2, instrumentalness: 0.01, liveness: 0.1, valence: 0.5, tempo: 120.5 };
const dir = temporaryDir();

async function loadRows(inputs: string[], columns: string[] = []): Promise<Record<string, unknown>[]> {
  const frame = await openEngine('local').load({ inputs, cacheDir: temporaryDir(), columns: parseColumnOverrides(columns) });
  try {
    return (await frame.sql('SELECT * FROM tracks ORDER BY source_file, source_row')).rows;
  } finally {
    await frame.close();
  }
}

describe('layouts', () => {
  test('Spotify API audio_features wrapper with null entries', async () => {
    const path = join(dir, 'features.json');
    const entry = { ...FEATURES, type: 'audio_features', id: '7AC976RDJzL2asmZuz7qil', uri: 'spotify:track:7AC976RDJzL2asmZuz7qil', track_href: 'x', analysis_url: 'y', duration_ms: 250000, time_signature: 4 };
    writeFileSync(path, JSON.stringify({ audio_features: [entry, null] }));
    const rows = await loadRows([path]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, '7AC976RDJzL2asmZuz7qil');
    assert.equal(rows[0].time_signature, 4);
  });

  test('NDJSON with spotify URIs as ids', async () => {
    const path = join(dir, 'tracks.ndjson');
    writeFileSync(path, [{ ...FEATURES, uri: 'spotify:track:abc', artist: 'Yes' }, { ...FEATURES, uri: 'spotify:track:def', artist: 'Asia' }].map((row) => JSON.stringify(row)).join('\n'));
    const rows = await loadRows([path]);
    assert.deepEqual(rows.map((row) => row.id), ['abc', 'def']);
  });

  test('Kaggle artists list takes the first artist', async () => {
    const path = join(dir, 'kaggle.csv');
    const header = ['id', 'name', 'artists', ...Object.keys(FEATURES)].join(',');
    const values = Object.values(FEATURES).join(',');
    writeFileSync(path, `${header}\nk1,One,"['Earth, Wind & Fire', 'The Emotions']",${values}\nk2,Two,"[""Guns N' Roses""]",${values}\nk3,Three,Gen Hoshino;Other,${values}\n`);
    const rows = await loadRows([path]);
    assert.deepEqual(rows.map((row) => row.artist), ['Earth, Wind & Fire', "Guns N' Roses", 'Gen Hoshino']);
  });

  test('UTF-8 with a byte-order mark', async () => {
    const path = join(dir, 'bom.csv');
    writeFileSync(path, `\uFEFFid,artist,${Object.keys(FEATURES).join(',')}\nb1,Björk,${Object.values(FEATURES).join(',')}\n`);
    const rows = await loadRows([path]);
    assert.equal(rows[0].id, 'b1');
    assert.equal(rows[0].artist, 'Björk');
  });

  test('--column maps a custom column', async () => {
    const path = join(dir, 'custom.csv');
    writeFileSync(path, `Performer,track,${Object.keys(FEATURES).join(',')}\nCamel,Lady Fantasy,${Object.values(FEATURES).join(',')}\n`);
    const rows = await loadRows([path], ['artist=Performer', 'name=track']);
    assert.equal(rows[0].artist, 'Camel');
    assert.equal(rows[0].name, 'Lady Fantasy');
  });

  test('Parquet round trip through query --out', async () => {
    const csv = join(dir, 'round.csv');
    writeFileSync(csv, `id,artist,${Object.keys(FEATURES).join(',')}\nr1,PFM,${Object.values(FEATURES).join(',')}\n`);
    const parquet = join(dir, 'round.parquet');
    const written = await runCli(['query', 'SELECT * FROM tracks', '-i', csv, '--out', parquet]);
    assert.equal(written.code, 0, written.stderr);
    const rows = await loadRows([parquet]);
    assert.equal(rows[0].artist, 'PFM');
    assert.equal(rows[0].tempo, 120.5);
  });

  test('gzip-compressed CSV', async () => {
    const path = join(dir, 'small.csv.gz');
    writeFileSync(path, gzipSync(`id,artist,${Object.keys(FEATURES).join(',')}\nz1,Rush,${Object.values(FEATURES).join(',')}\n`));
    const rows = await loadRows([path]);
    assert.equal(rows[0].artist, 'Rush');
  });
});

describe('URL inputs', () => {
  let server: Server;
  let base = '';
  let requests = 0;
  const body = `id,artist,${Object.keys(FEATURES).join(',')}\nu1,Genesis,${Object.values(FEATURES).join(',')}\n`;
  before(async () => {
    server = createServer((request, response) => {
      requests++;
      if (request.url === '/songs.csv') response.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(body) }).end(body);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test('downloaded once, then read from the cache', async () => {
    const cache = temporaryDir();
    const env = { XDG_CACHE_HOME: cache };
    const first = await runCli(['query', 'SELECT artist FROM tracks', '-i', `${base}/songs.csv`, '--json'], { env });
    const second = await runCli(['query', 'SELECT artist FROM tracks', '-i', `${base}/songs.csv`, '--json'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(second.stdout), [{ artist: 'Genesis' }]);
    assert.equal(requests, 1);
  });

  test('HTTP 404 is a clear error', async () => {
    const result = await runCli(['explore', '-i', `${base}/missing.csv`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /could not download .*missing\.csv: HTTP 404/);
  });

  test('unreachable host says how to work offline', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runCli(['explore', '-i', `http://127.0.0.1:${port}/songs.csv`]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /could not download .*pass its local path to --input/);
  });
});
