import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StandardScaler } from '../../../src/ml/feature/standard-scaler.js';
import { vectorTable } from '../golden-checks.js';

test('StandardScaler defaults are Spark defaults', () => {
  const scaler = new StandardScaler();
  assert.equal(scaler.params.withMean, false);
  assert.equal(scaler.params.withStd, true);
});

test('StandardScaler uses the sample std', () => {
  const model = new StandardScaler().fit(vectorTable([[1], [2], [3], [4]]));
  assert.equal(model.std[0], Math.sqrt(5 / 3));
});

test('StandardScaler empty input', () => {
  assert.throws(() => new StandardScaler().fit(vectorTable([[1]]).selectRows([])), { message: /empty input: StandardScaler needs at least one row/ });
});

test('StandardScaler mismatched vector size', () => {
  const model = new StandardScaler().fit(vectorTable([[1, 2], [3, 4]]));
  assert.throws(() => model.transform(vectorTable([[1, 2, 3]])), { message: /vectors of size 3, but the scaler was fit on size 2/ });
});
