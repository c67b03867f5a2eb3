import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { RandomGenerator } from '../../src/random.js';
import { ARTISTS, CLIENT_ID, CLIENT_SECRET } from '../support/collect-harness.js';
import { ReccoBeatsStandIn } from '../support/reccobeats-stand-in.js';
import { addBoxSet, loadCatalogue } from '../support/stand-in-catalogue.js';
import { SpotifyStandIn } from '../support/spotify-stand-in.js';
import { cliPath } from '../support/cli.js';

const BIN = cliPath;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('grooviest collect', () => {
  let spotify: SpotifyStandIn;
  let reccobeats: ReccoBeatsStandIn;
  let work: string;
  /** Called on every request to either stand-in with the count of non-token requests so far. */
  let onServiceRequest: (count: number) => void = () => {};
  let serviceRequests = 0;
  const outputs: string[] = [];

  before(async () => {
    const catalogue = loadCatalogue();
    addBoxSet(catalogue, 'Pink Floyd');
    const count = () => {
      serviceRequests += 1;
      onServiceRequest(serviceRequests);
    };
    spotify = await SpotifyStandIn.start({
      catalogue,
      mode: 'development',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      onRequest: (endpoint) => {
        if (endpoint !== 'token') count();
      },
    });
    reccobeats = await ReccoBeatsStandIn.start({ catalogue, onRequest: count });
    work = await mkdtemp(join(tmpdir(), 'grooviest-cli-collect-'));
  });
  after(async () => {
    await spotify.close();
    await reccobeats.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Starts the CLI with the stand-ins' URLs, the credentials in the environment and `home` as XDG cache and config home. */
  function start(home: string, out: string, extra: string[] = [], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
    const args = [BIN, 'collect', ...ARTISTS.flatMap((artist) => ['--artist', artist])];
    args.push('--provider', 'reccobeats', '--out', out, '--max-rate', '1000', '--debug');
    args.push('--spotify-url', spotify.apiUrl, '--accounts-url', spotify.accountsUrl, '--reccobeats-url', reccobeats.url, ...extra);
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? '',
        SPOTIFY_CLIENT_ID: CLIENT_ID,
        SPOTIFY_CLIENT_SECRET: CLIENT_SECRET,
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_CONFIG_HOME: join(home, 'config'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    const done = new Promise<Run>((resolve) => {
      child.on('close', (code, signal) => {
        outputs.push(stdout, stderr);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, done };
  }

  async function readRows(path: string): Promise<unknown[]> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
      return reader.getRowObjectsJson();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  let referenceRows: unknown[] = [];
  let referenceRequests = 0;

  test('collect cli: uninterrupted run', { timeout: 60_000 }, async () => {
    const home = join(work, 'reference');
    const out = join(home, 'tracks.parquet');
    const before = serviceRequests;
    const run = await start(home, out).done;
    assert.equal(run.code, 0, run.stderr);
    referenceRequests = serviceRequests - before;
    referenceRows = await readRows(out);
    assert.ok(referenceRows.length > 500, `${referenceRows.length} rows`);
    assert.match(run.stderr, /Developer Terms/);
    assert.match(run.stdout, /rows/);
  });

  test('collect cli: ten interruptions then resume', { timeout: 180_000 }, async (t) => {
    const home = join(work, 'killed');
    const out = join(home, 'tracks.parquet');
    const random = new RandomGenerator(7);
    const points = new Set<number>();
    while (points.size < 10) points.add(1 + random.nextInt(referenceRequests));
    const killPoints = [...points].sort((a, b) => a - b);

    const start0 = serviceRequests;
    const urlsBefore = spotify.log.length;
    for (const [index, point] of killPoints.entries()) {
      // Alternate a hard kill with Ctrl-C.
      const signal = index % 2 === 0 ? 'SIGKILL' : 'SIGINT';
      const { child, done } = start(home, out);
      onServiceRequest = (count) => {
        if (count - start0 >= point) child.kill(signal);
      };
      const run = await done;
      onServiceRequest = () => {};
      assert.equal(run.signal, signal, `${signal} at request ${point}`);
      assert.equal(existsSync(out), false, 'no output file after a kill');
    }

    const final = await start(home, out).done;
    assert.equal(final.code, 0, final.stderr);
    assert.deepEqual(await readRows(out), referenceRows);

    // Only the request in flight at each kill may be sent again.
    const urls = spotify.log.slice(urlsBefore).filter((entry) => entry.endpoint !== 'token').map((entry) => entry.url);
    const repeated = urls.length - new Set(urls).size;
    t.diagnostic(`kill points ${killPoints.join(', ')} of ${referenceRequests} requests; ${repeated} repeated; ${serviceRequests - start0} sent in all`);
    assert.ok(repeated <= killPoints.length, `${repeated} repeated Spotify requests`);
    assert.ok(serviceRequests - start0 <= referenceRequests + killPoints.length, 'requests beyond one uninterrupted run');
  });

  test('collect cli: failure leaves no file', { timeout: 60_000 }, async () => {
    const home = join(work, 'failure');
    const out = join(home, 'tracks.parquet');
    spotify.inject({ kind: '429', endpoint: 'search', retryAfter: '7200' });
    const run = await start(home, out).done;
    spotify.clearFaults();
    assert.equal(run.code, 1);
    assert.match(run.stderr, /requested a wait of 7200 s/);
    assert.equal(existsSync(out), false);
  });

  test('collect cli: credentials from config file', { timeout: 60_000 }, async () => {
    const home = join(work, 'config-file');
    await mkdir(join(home, 'config', 'grooviest'), { recursive: true });
    await writeFile(
      join(home, 'config', 'grooviest', 'config.json'),
      JSON.stringify({ spotify: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } }),
    );
    const out = join(home, 'tracks.csv');
    const run = await start(home, out, ['--artist', 'Skrillex'], { SPOTIFY_CLIENT_ID: '', SPOTIFY_CLIENT_SECRET: '' }).done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(await readFile(out, 'utf8'), /^id,name,artist,album,artist_id/);
  });

  test('collect cli: invalid credentials exit 1', { timeout: 60_000 }, async () => {
    const home = join(work, 'bad-credentials');
    const run = await start(home, join(home, 'tracks.parquet'), [], { SPOTIFY_CLIENT_SECRET: 'not-the-secret-3c9e1f' }).done;
    assert.equal(run.code, 1);
    assert.match(run.stderr, /invalid_client/);
    assert.doesNotMatch(run.stderr, /not-the-secret-3c9e1f/);
  });

  test('collect cli: missing artists exit 2', { timeout: 60_000 }, async () => {
    const home = join(work, 'usage');
    const child = spawn(process.execPath, [BIN, 'collect'], { env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: home } });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /missing artists/);
  });

  test('collect cli: artists file, provider none, json', { timeout: 60_000 }, async () => {
    const home = join(work, 'artists-file');
    await mkdir(home, { recursive: true });
    const file = join(home, 'artists.txt');
    await writeFile(file, '# two artists\nSkrillex\n\nspotify:artist:4fEkbug6kZzzJ8eYX6Kbbp  # KK\n');
    const out = join(home, 'tracks.json');
    const child = spawn(
      process.execPath,
      [BIN, 'collect', '--artists-file', file, '--provider', 'none', '--out', out, '--json', '--max-rate', '1000',
        '--spotify-url', spotify.apiUrl, '--accounts-url', spotify.accountsUrl, '--reccobeats-url', reccobeats.url],
      { env: { PATH: process.env.PATH ?? '', SPOTIFY_CLIENT_ID: CLIENT_ID, SPOTIFY_CLIENT_SECRET: CLIENT_SECRET, XDG_CACHE_HOME: join(home, 'cache') } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    outputs.push(stdout, stderr);
    assert.equal(code, 0, stderr);

    const summary = JSON.parse(stdout);
    assert.equal(summary.artists, 2);
    assert.equal(summary.provider, 'none');
    assert.equal(summary.featuresFound, 0);
    const rows = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(rows.length, summary.rows);
    assert.equal(rows[0].danceability, null);
    assert.equal(rows[0].features_source, null);
    assert.equal(typeof rows[0].duration_ms, 'number');
  });

  test('collect cli: unknown artist exit 2', { timeout: 60_000 }, async () => {
    const home = join(work, 'unknown-artist');
    const run = await start(home, join(home, 'tracks.parquet'), ['--artist', 'No Such Band Anywhere']).done;
    assert.equal(run.code, 2);
    assert.match(run.stderr, /artist not found: "No Such Band Anywhere"/);
  });

  test('collect cli: secrets never written', { timeout: 60_000 }, async () => {
    const tokens = new Set(spotify.log.map((entry) => entry.authorization ?? '').filter((value) => value.startsWith('Bearer ')).map((value) => value.slice(7)));
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const secrets = [CLIENT_SECRET, basic, ...tokens];
    assert.ok(tokens.size > 0, 'tokens were issued');

    for (const text of outputs) {
      for (const secret of secrets) assert.equal(text.includes(secret), false, 'a secret in stdout or stderr');
    }
    for (const file of await listFiles(work)) {
      if (file.endsWith('config.json')) continue;
      const content = await readFile(file, 'latin1');
      for (const secret of secrets) assert.equal(content.includes(secret), false, `a secret in ${file}`);
    }
  });
});

async function listFiles(directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else files.push(path);
  }
  return files;
}
