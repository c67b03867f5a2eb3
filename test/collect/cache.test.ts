import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResponseCache } from '../../src/collect/cache.js';

async function withDirectory(run: (directory: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'grooviest-cache-'));
  try {
    await run(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

test('cache: stores and returns a response', () =>
  withDirectory(async (directory) => {
    const cache = new ResponseCache(directory);
    await cache.put('Spotify GET /albums?ids=a', { status: 200, body: { albums: [] } });
    assert.deepEqual(await cache.get('Spotify GET /albums?ids=a'), { status: 200, body: { albums: [] } });
  }));

test('cache: unknown key is absent', () =>
  withDirectory(async (directory) => {
    assert.equal(await new ResponseCache(directory).get('Spotify GET /nothing'), undefined);
  }));

test('cache: refresh ignores stored responses', () =>
  withDirectory(async (directory) => {
    await new ResponseCache(directory).put('k', { status: 200, body: 1 });
    assert.equal(await new ResponseCache(directory, { refresh: true }).get('k'), undefined);
  }));

test('cache: unreadable file is absent', () =>
  withDirectory(async (directory) => {
    const cache = new ResponseCache(directory);
    await cache.put('k', { status: 200, body: 1 });
    const [folder] = await readdir(directory);
    const [file] = await readdir(join(directory, folder));
    await writeFile(join(directory, folder, file), '{"key": "k", "sta');
    assert.equal(await cache.get('k'), undefined);
  }));
