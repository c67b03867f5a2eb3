import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { InputError } from '../../src/errors.js';
import { paramConflictError, validateKey, validateMetric, validateParam, validateTag } from '../../src/tracking/validation.js';

test('validateKey: 250 characters accepted', () => {
  assert.doesNotThrow(() => validateKey('param', 'k'.repeat(250)));
});

test('validateKey: 251 characters rejected', () => {
  assert.throws(() => validateKey('param', 'k'.repeat(251)), /at most 250/);
});

test('validateKey: forbidden characters rejected', () => {
  assert.throws(() => validateKey('metric', 'loss!'), /letters, digits/);
});

test('validateKey: path-like keys rejected', () => {
  for (const key of ['/abs', 'a/../b', './a', 'a//b']) assert.throws(() => validateKey('tag', key), InputError, key);
});

test('validateKey: MLflow separators accepted', () => {
  assert.doesNotThrow(() => validateKey('metric', 'fold 1/silhouette:mean-x_y.z'));
});

test('validateParam: 6000 characters kept', () => {
  assert.equal(validateParam('p', 'x'.repeat(6000)).length, 6000);
});

test('validateParam: 6001 characters rejected', () => {
  assert.throws(() => validateParam('p', 'x'.repeat(6001)), /6001 characters \(MLflow allows at most 6000/);
});

test('validateParam: truncation warns', () => {
  const events: GrooviestEvent[] = [];
  const value = validateParam('p', 'x'.repeat(7000), { truncate: true, onEvent: (event) => events.push(event) });
  assert.equal(value.length, 6000);
  assert.equal(events.length, 1);
  assert.equal(events[0].type === 'warning' && events[0].code, 'value-truncated');
});

test('validateParam: counts code points', () => {
  assert.equal(validateParam('p', '🎵'.repeat(6000)), '🎵'.repeat(6000));
});

test('validateParam: numbers become strings', () => {
  assert.equal(validateParam('k', 3), '3');
});

test('validateTag: 8001 characters rejected', () => {
  assert.throws(() => validateTag('t', 'x'.repeat(8001)), /at most 8000/);
});

test('validateTag: 8000 characters kept', () => {
  assert.equal(validateTag('t', 'x'.repeat(8000)).length, 8000);
});

test('validateMetric: NaN rejected', () => {
  assert.throws(() => validateMetric('loss', Number.NaN, 0, 1), /NaN \(metric values must be finite/);
});

test('validateMetric: Infinity rejected', () => {
  assert.throws(() => validateMetric('loss', Number.POSITIVE_INFINITY, 0, 1), /Infinity/);
});

test('validateMetric: fractional step rejected', () => {
  assert.throws(() => validateMetric('loss', 1, 0.5, 1), /step/);
});

test('paramConflictError: names both values', () => {
  const message = paramConflictError('abc', 'k', '3', '4').message;
  assert.match(message, /"3"/);
  assert.match(message, /"4"/);
});
