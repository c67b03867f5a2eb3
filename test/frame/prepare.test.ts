import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { prepareInput } from '../../src/frame/input/prepare.js';
import { temporaryDir } from '../support/cli.js';

function windows1252File(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(text, 'win1252'));
  return path;
}

test('cached Windows-1252 copy gives the same preparation', async () => {
  const dir = temporaryDir();
  const path = windows1252File(dir, 'tracks.csv', '"track name";artist;energy\r\n"Talkin’ 2 Myself";Alizée;0.5\r\ncœur;Alizée;0.7\r\n');
  const input = { path, format: 'csv' as const, gzip: false, named: true, displayName: 'tracks.csv' };
  const first = await prepareInput(input, join(dir, 'cache'));
  const second = await prepareInput(input, join(dir, 'cache'));
  assert.deepEqual(second, first);
  assert.deepEqual(second.header, ['track name', 'artist', 'energy']);
  assert.equal(second.delimiter, ';');
  assert.equal(second.hasRows, true);
});

test('cached Windows-1252 header-only file has no rows', async () => {
  const dir = temporaryDir();
  const path = windows1252File(dir, 'header.csv', 'name,artist,énergie\n  \n');
  const input = { path, format: 'csv' as const, gzip: false, named: true, displayName: 'header.csv' };
  const first = await prepareInput(input, join(dir, 'cache'));
  const second = await prepareInput(input, join(dir, 'cache'));
  assert.deepEqual(second, first);
  assert.equal(second.hasRows, false);
});
