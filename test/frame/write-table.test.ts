import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { TRACK_COLUMNS } from '../../src/contracts/track-table.js';
import { InputError } from '../../src/errors.js';
import { tableFormatFor, writeTrackTable } from '../../src/frame/write-table.js';

let directory: string;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'grooviest-write-table-'));
});
after(() => rm(directory, { recursive: true, force: true }));

const ROWS = [
  { id: '3Y8gNcoJu1uJ5L1BZuGvqB', name: 'Astronomy Domine', artist: 'Pink Floyd', key: 2, mode: 1, danceability: 0.348, tempo: 124.079, features_source: 'spotify', popularity: 41 },
  { id: '0pcB1n1fUrNjZcZu4MHIJ0', name: 'Alizée, "Moi… Lolita"', artist: 'Alizée', key: -1, mode: 0, danceability: 0.8, tempo: 0, features_source: null },
];

async function describeFile(sql: string): Promise<{ names: string[]; types: string[]; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(sql);
    return { names: result.columnNames(), types: result.columnTypes().map((type) => type.toString()), rows: result.getRowObjectsJson() as Record<string, unknown>[] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

test('tableFormatFor: by extension', () => {
  assert.equal(tableFormatFor('a/tracks.CSV'), 'csv');
  assert.equal(tableFormatFor('tracks.json'), 'json');
  assert.equal(tableFormatFor('tracks.parquet'), 'parquet');
  assert.equal(tableFormatFor('tracks'), 'parquet');
});

test('writeTrackTable: parquet canonical types', async () => {
  const path = join(directory, 'tracks.parquet');
  await writeTrackTable(path, ROWS, { extraColumns: [{ name: 'popularity', type: 'INTEGER' }] });
  const file = await describeFile(`SELECT * FROM read_parquet('${path}')`);
  assert.deepEqual(file.names, [...TRACK_COLUMNS.map((column) => column.name), 'popularity']);
  assert.deepEqual(file.types, [...TRACK_COLUMNS.map((column) => column.type), 'INTEGER']);
  assert.equal(file.rows[1].name, 'Alizée, "Moi… Lolita"');
  assert.equal(file.rows[1].popularity, null);
  assert.equal(file.rows[0].danceability, 0.348);
});

test('writeTrackTable: csv header order', async () => {
  const path = join(directory, 'tracks.csv');
  await writeTrackTable(path, ROWS);
  const [header] = (await readFile(path, 'utf8')).split('\n');
  assert.equal(header, TRACK_COLUMNS.map((column) => column.name).join(','));
});

test('writeTrackTable: json array of rows', async () => {
  const path = join(directory, 'tracks.json');
  await writeTrackTable(path, ROWS);
  const rows = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(rows.length, 2);
  assert.equal(rows[0].key, 2);
  assert.equal(rows[1].features_source, null);
});

test('writeTrackTable: invalid cell leaves no file', async () => {
  const path = join(directory, 'invalid.parquet');
  const error = await writeTrackTable(path, [{ id: 'x', key: 2.5 }]).catch((caught) => caught);
  assert.ok(error instanceof InputError);
  assert.match(error.message, /row 1, column "key": 2.5 \(expected an integer\)/);
  assert.equal(existsSync(path), false);
  assert.deepEqual((await readdir(directory)).filter((name) => name.includes('invalid')), []);
});
