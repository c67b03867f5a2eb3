import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../../src/frame/engines.js';
import type { TrackFrame } from '../../src/frame/engine.js';
import { TRACK_COLUMNS } from '../../src/contracts/track-table.js';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { DISCOGRAPHIES, GENRE_SEARCH, TIDYTUESDAY, sharedData } from '../support/shared-data.js';
import { temporaryDir } from '../support/cli.js';

const cacheDir = temporaryDir('grooviest-cache-');

async function load(input: string, events: GrooviestEvent[] = []): Promise<TrackFrame> {
  return openEngine('local').load({ inputs: [input], cacheDir, onEvent: (event) => events.push(event) });
}

async function distinctIds(frame: TrackFrame): Promise<number> {
  return Number((await frame.sql('SELECT count(DISTINCT id) AS n FROM tracks')).rows[0].n);
}

async function row(frame: TrackFrame, id: string): Promise<Record<string, unknown>> {
  const result = await frame.sql(`SELECT * FROM tracks WHERE id = '${id}'`);
  assert.equal(result.rows.length, 1, `one row with id ${id}`);
  return result.rows[0];
}

describe('discographies file (spotifyr, Windows-1252)', () => {
  let frame: TrackFrame;
  const events: GrooviestEvent[] = [];
  before(async () => {
    frame = await load(sharedData(DISCOGRAPHIES), events);
  });
  after(() => frame.close());

  test('row count', async () => assert.equal(await frame.count(), 10130));
  test('distinct ids', async () => assert.equal(await distinctIds(frame), 10130));
  test('layout and encoding', () => {
    assert.equal(frame.summary.files[0].layout, 'spotifyr');
    assert.equal(frame.summary.files[0].encoding, 'windows-1252');
  });
  test('no range warnings on real data', () => {
    assert.deepEqual(events.filter((event) => event.type === 'warning'), []);
  });
  test('accented artist decoded', async () => {
    const track = await row(frame, '3E3rNAsXWbowqKLjdj23En');
    assert.equal(track.artist, 'Alizée');
    assert.equal(track.name, "A cause de l'automne");
  });
  test('Windows-1252 punctuation decoded', async () => {
    assert.equal((await row(frame, '66h8hB4In6t725WtAPL23J')).name, 'Talkin’ 2 Myself');
    assert.equal((await row(frame, '40fGIMEH0ez3b1zYtvJgxg')).name, "C'est lui que mon cœur a choisi");
    assert.equal((await row(frame, '40fGIMEH0ez3b1zYtvJgxg')).album, 'De la Môme à Edith (1935-1951)');
  });
  test('note name key and mode word mapped', async () => {
    const track = await row(frame, '3E3rNAsXWbowqKLjdj23En');
    assert.equal(track.key, 8);
    assert.equal(track.mode, 0);
  });
  test('features and album fields', async () => {
    const track = await row(frame, '3E3rNAsXWbowqKLjdj23En');
    assert.equal(track.danceability, 0.56);
    assert.equal(track.tempo, 143.99);
    assert.equal(track.duration_ms, 235093);
    assert.equal(track.album_id, '5FrijL12kQC7thaVji9RCw');
    assert.equal(track.album_image_url, 'https://i.scdn.co/image/a4a1aefbfdc2ff4e0aee543b768689216a3a6062');
    assert.equal(track.release_date, '2013-03-25');
    assert.equal(track.source_row, 7179);
  });
  test('index column dropped, extras kept', async () => {
    const columns = await frame.columns();
    assert.ok(!columns.includes('column00'));
    assert.ok(columns.includes('key_mode'));
  });
  test('canonical column types', async () => {
    const described = await frame.sql('DESCRIBE tracks');
    const types = new Map(described.rows.map((r) => [r.column_name, r.column_type]));
    for (const column of TRACK_COLUMNS) assert.equal(types.get(column.name), column.type, column.name);
  });
});

describe('TidyTuesday file (gzip CSV)', () => {
  let frame: TrackFrame;
  before(async () => {
    frame = await load(sharedData(TIDYTUESDAY));
  });
  after(() => frame.close());

  test('row count', async () => assert.equal(await frame.count(), 32833));
  test('distinct ids', async () => assert.equal(await distinctIds(frame), 28356));
  test('rows without name or artist', async () => {
    const result = await frame.sql('SELECT count(*) AS n FROM tracks WHERE name IS NULL AND artist IS NULL AND album IS NULL');
    assert.equal(result.rows[0].n, 5);
  });
  test('track_artist mapped to artist', async () => {
    const result = await frame.sql("SELECT artist, name, album_id, key, mode, time_signature FROM tracks WHERE id = '6f807x0ima9a1j3VPbc7VN' LIMIT 1");
    assert.deepEqual(result.rows[0], {
      artist: 'Ed Sheeran',
      name: "I Don't Care (with Justin Bieber) - Loud Luxury Remix",
      album_id: '2oCs0DGTsRO98Gh5ZSl2Cx',
      key: 6,
      mode: 1,
      time_signature: null,
    });
  });
});

describe('genre-search folder (149 CSV files)', () => {
  let frame: TrackFrame;
  const events: GrooviestEvent[] = [];
  before(async () => {
    frame = await load(sharedData(GENRE_SEARCH), events);
  });
  after(() => frame.close());

  test('row count', async () => assert.equal(await frame.count(), 77566));
  test('distinct ids', async () => assert.equal(await distinctIds(frame), 63382));
  test('empty files skipped with one warning', () => {
    const warnings = events.filter((event) => event.type === 'warning' && event.code === 'empty-file');
    assert.equal(warnings.length, 1);
    assert.deepEqual((warnings[0] as unknown as { details: { files: string[] } }).details.files.sort(), ['chillout.csv', 'impressionist.csv', 'musical theater.csv']);
  });
  test('files read', () => assert.equal(frame.summary.files.length, 146));
  test('first row of a file with a space in its name', async () => {
    const result = await frame.sql("SELECT name, artist, artist_id, source_row FROM tracks WHERE source_file = 'acid jazz.csv' AND source_row = 1");
    assert.deepEqual(result.rows[0], { name: 'Jazz In The Present Tense', artist: 'Solsonics', artist_id: '0hRcHqu2R885utzNyofwbj', source_row: 1 });
  });
  test('features_source names the file', async () => {
    const result = await frame.sql("SELECT DISTINCT features_source FROM tracks WHERE source_file = 'zydeco.csv'");
    assert.deepEqual(result.rows, [{ features_source: 'zydeco.csv' }]);
  });
});
