import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldCountOfRecord } from '../../src/frame/input/csv-fields.js';

test('csv fields: plain records', () => {
  const text = 'a,b,c\n1,2,3\n4,5,6,7\n';
  assert.equal(fieldCountOfRecord(text, ',', 0), 3);
  assert.equal(fieldCountOfRecord(text, ',', 1), 3);
  assert.equal(fieldCountOfRecord(text, ',', 2), 4);
  assert.equal(fieldCountOfRecord(text, ',', 3), undefined);
});

test('csv fields: quotes, newlines and line endings', () => {
  const text = 'a;b\r\n"x;y";"say ""hi""\r\nthere"\r\nlast;row';
  assert.equal(fieldCountOfRecord(text, ';', 1), 2);
  assert.equal(fieldCountOfRecord(text, ';', 2), 2);
});
