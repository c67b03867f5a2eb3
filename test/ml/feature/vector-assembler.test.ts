import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { VectorAssembler } from '../../../src/ml/feature/vector-assembler.js';
import { Table } from '../../../src/ml/table.js';

function table(): Table {
  return new Table(3, ['t1', 't2', 't3'], [
    ['tempo', { type: 'double', values: Float64Array.from([120, Number.NaN, 90]), nulls: Uint8Array.from([0, 1, 0]) }],
    ['energy', { type: 'double', values: Float64Array.from([0.5, 0.6, Number.NaN]) }],
  ]);
}

test('VectorAssembler error names column and first row', () => {
  assert.throws(() => new VectorAssembler({ inputCols: ['tempo', 'energy'] }).transform(table()), {
    name: 'InputError',
    message: /column "tempo" contains 1 null or NaN value, the first at row 1 \(row key "t2"\)/,
  });
});

test('VectorAssembler skip drops rows and keeps row keys', () => {
  const result = new VectorAssembler({ inputCols: ['tempo', 'energy'], handleInvalid: 'skip' }).assemble(table());
  assert.equal(result.skippedRows, 2);
  assert.deepEqual(result.table.rowKeys, ['t1']);
  assert.deepEqual([...result.table.vector('features').values], [120, 0.5]);
});

test('VectorAssembler keep turns null into NaN', () => {
  const output = new VectorAssembler({ inputCols: ['tempo', 'energy'], handleInvalid: 'keep' }).transform(table());
  const values = output.vector('features').values;
  assert.equal(values.length, 6);
  assert.ok(Number.isNaN(values[2]));
  assert.ok(Number.isNaN(values[5]));
});

test('VectorAssembler names slots after input columns', () => {
  const output = new VectorAssembler({ inputCols: ['tempo', 'energy'], handleInvalid: 'keep' }).transform(table());
  assert.deepEqual(output.vector('features').slotNames, ['tempo', 'energy']);
});

test('VectorAssembler missing column lists columns', () => {
  assert.throws(() => new VectorAssembler({ inputCols: ['valence'] }).transform(table()), { message: 'missing column: "valence" (columns: tempo, energy)' });
});

test('VectorAssembler invalid handleInvalid', () => {
  assert.throws(() => new VectorAssembler({ inputCols: ['tempo'], handleInvalid: 'drop' as 'skip' }), InputError);
});

test('VectorAssembler empty inputCols', () => {
  assert.throws(() => new VectorAssembler({ inputCols: [] }), { message: /inputCols must be a non-empty list/ });
});

test('VectorAssembler unknown param', () => {
  assert.throws(() => new VectorAssembler({ inputCols: ['tempo'], outputColumn: 'x' } as never), { message: /unknown param "outputColumn" for VectorAssembler/ });
});
