import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';

test('main: version exits 0', async () => {
  assert.equal(await main(['--version']), 0);
});

test('main: unknown command exits 2', async () => {
  assert.equal(await main(['no-such-command']), 2);
});
