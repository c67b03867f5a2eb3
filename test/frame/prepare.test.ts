import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { prepareInput } from '../../src/frame/input/prepare.js';
import { temporaryDir } from '../support/cli.js';

/** Writes `text` as a Windows-1252 file and prepares it twice with one cache: without, then with its UTF-8 copy. */
async function prepareTwice(name: string, text: string) {
  const dir = temporaryDir();
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(text, 'win1252'));
  const input = { path, format: 'csv' as const, gzip: false, named: true, displayName: name };
  const first = await prepareInput(input, join(dir, 'cache'));
  const second = await prepareInput(input, join(dir, 'cache'));
  return { first, second };
}

test('cached Windows-1252 copy gives the same preparation', async () => {
  const { first, second } = await prepareTwice('tracks.csv', '"track name";artist;energy\r\n"Talkin’ 2 Myself";Alizée;0.5\r\ncœur;Alizée;0.7\r\n');
  assert.deepEqual(second, first);
  assert.deepEqual(second.header, ['track name', 'artist', 'energy']);
  assert.equal(second.delimiter, ';');
  assert.equal(second.hasRows, true);
});

test('cached Windows-1252 header-only file has no rows', async () => {
  const { first, second } = await prepareTwice('header.csv', 'name,artist,énergie\n  \n');
  assert.deepEqual(second, first);
  assert.equal(second.hasRows, false);
});
