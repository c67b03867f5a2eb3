import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createEventRenderer } from '../../src/cli/events.js';

/** Returns a renderer writing to a non-terminal stream, and the lines written so far. */
function plainRenderer() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const renderer = createEventRenderer({ verbosity: 'normal', stream: stream as unknown as NodeJS.WriteStream, plainIntervalMs: 0 });
  return { renderer, lines: () => text.split('\n').filter((line) => line !== '') };
}

test('plain progress: one final line', () => {
  const { renderer, lines } = plainRenderer();
  renderer.onEvent({ type: 'progress', task: 'trials', done: 9, total: 10, message: 'k=3' });
  renderer.onEvent({ type: 'progress', task: 'trials', done: 10, total: 10, message: 'k=12' });
  renderer.onEvent({ type: 'progress', task: 'trials', done: 10, total: 10, unit: 'trials' });
  assert.deepEqual(lines(), ['trials: 9/10 k=3', 'trials: 10/10 k=12']);
});

test('plain progress: a new total prints again', () => {
  const { renderer, lines } = plainRenderer();
  renderer.onEvent({ type: 'progress', task: 'load', done: 1, total: 1, unit: 'files' });
  renderer.onEvent({ type: 'progress', task: 'load', done: 2, total: 2, unit: 'files' });
  assert.deepEqual(lines(), ['load: 1/1 files', 'load: 2/2 files']);
});
