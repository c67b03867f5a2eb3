import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../../src/frame/engines.js';
import type { TrackFrame } from '../../src/frame/engine.js';
import { dedupe, dropSpoken } from '../../src/frame/dedupe.js';
import { artistAverages, artistTracks, resolveArtists, topTracks } from '../../src/frame/explore.js';
import { normaliseTitle } from '../../src/frame/versions.js';
import { temporaryDir } from '../support/cli.js';

const HEADER = 'id,name,artist,isrc,duration_ms,release_date,danceability,energy,speechiness,acousticness,instrumentalness,liveness,valence,loudness,tempo';

function csv(rows: string[]): string {
  const path = join(temporaryDir(), 'tracks.csv');
  writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
  return path;
}

function track(id: string, name: string, artist: string, danceability: string, extra: { isrc?: string; duration?: number; date?: string; speech?: number } = {}): string {
  return `${id},"${name}","${artist}",${extra.isrc ?? ''},${extra.duration ?? 200000},${extra.date ?? ''},${danceability},0.5,${extra.speech ?? 0.05},0.5,0.5,0.1,0.5,-8,120`;
}

async function load(path: string): Promise<TrackFrame> {
  return openEngine('local').load({ inputs: [path], cacheDir: temporaryDir() });
}

describe('topTracks', () => {
  let frame: TrackFrame;
  before(async () => {
    frame = await load(
      csv([
        track('a1', 'Alpha', 'Earth, Wind & Fire', '0.9'),
        track('a2', 'Beta', 'Earth, Wind & Fire', '0.8'),
        track('a3', 'Gamma', 'Earth, Wind & Fire', '0.8'),
        track('a4', 'Delta', 'Earth, Wind & Fire', '0.8'),
        track('a5', 'Epsilon', 'Earth, Wind & Fire', 'NaN'),
        track('a6', 'Zeta', 'Earth, Wind & Fire', ''),
        track('b1', 'Solo', 'Camel', '0.4'),
      ]),
    );
  });
  after(() => frame.close());

  test('exactly N rows with ties broken by name', async () => {
    const result = await topTracks(frame, { n: 3 });
    const ewf = result.rows.filter((row) => row.artist === 'Earth, Wind & Fire');
    assert.deepEqual(ewf.map((row) => row.name), ['Alpha', 'Beta', 'Delta']);
  });

  test('rank column shows ties', async () => {
    const result = await topTracks(frame, { n: 3 });
    const ewf = result.rows.filter((row) => row.artist === 'Earth, Wind & Fire');
    assert.deepEqual(ewf.map((row) => row.rank), [1, 2, 2]);
  });

  test('NaN and null never rank', async () => {
    const result = await topTracks(frame, { n: 10 });
    const names = result.rows.map((row) => row.name);
    assert.ok(!names.includes('Epsilon'));
    assert.ok(!names.includes('Zeta'));
  });

  test('artists with fewer tracks return fewer rows', async () => {
    const result = await topTracks(frame, { n: 3 });
    assert.equal(result.rows.filter((row) => row.artist === 'Camel').length, 1);
  });

  test('artist limit reports omitted artists', async () => {
    const result = await topTracks(frame, { n: 3, artistLimit: 1 });
    assert.equal(result.omittedArtists, 1);
    assert.deepEqual([...new Set(result.rows.map((row) => row.artist))], ['Earth, Wind & Fire']);
  });

  test('artist names with commas filter', async () => {
    const [artist] = await resolveArtists(frame, ['earth, wind & fire']);
    const result = await artistAverages(frame, { artists: [artist] });
    assert.deepEqual(result.rows.map((row) => row.artist), ['Earth, Wind & Fire']);
  });

  test('artistTracks puts NaN and null last', async () => {
    const result = await artistTracks(frame, { artists: ['Earth, Wind & Fire'], orderBy: 'danceability' });
    assert.deepEqual(result.rows.slice(-2).map((row) => row.name).sort(), ['Epsilon', 'Zeta']);
    assert.equal(result.rows[0].name, 'Alpha');
  });
});

describe('version titles', () => {
  test('remaster suffixes fold to the original', () => {
    const original = normaliseTitle("I Can't Dance");
    assert.equal(normaliseTitle("I Can't Dance - Remastered 2007"), original);
    assert.equal(normaliseTitle("I Can't Dance - 2007 Digital Remaster"), original);
    assert.equal(normaliseTitle("I Can't Dance (2014 Remaster)"), original);
    assert.equal(normaliseTitle("I Can't Dance - Single Version"), original);
  });

  test('live recordings stay different', () => {
    assert.notEqual(normaliseTitle("I Can't Dance - Live"), normaliseTitle("I Can't Dance"));
    assert.notEqual(normaliseTitle("I Can't Dance (Live at Wembley, 1992) - Remastered"), normaliseTitle("I Can't Dance"));
  });
});

describe('dedupe', () => {
  const rows = [
    track('g1', "I Can't Dance - Remastered 2007", 'Genesis', '0.8', { duration: 240000, date: '2007-10-01' }),
    track('g2', "I Can't Dance", 'Genesis', '0.8', { duration: 241000, date: '1991-11-11' }),
    track('g3', "I Can't Dance - 2007 Digital Remaster", 'Genesis', '0.8', { duration: 239500 }),
    track('g4', "I Can't Dance - Live", 'Genesis', '0.7', { duration: 300000 }),
    track('g5', "I Can't Dance", 'Genesis', '0.6', { duration: 400000 }),
    track('i1', 'Roundabout', 'Yes', '0.5', { isrc: 'GBAHT7100001' }),
    track('i2', 'Roundabout - Edit', 'Yes', '0.5', { isrc: 'GBAHT7100001', duration: 150000 }),
    track('g2', "I Can't Dance", 'Genesis', '0.8', { duration: 241000 }),
    track('s1', 'Commentary', 'Frank Zappa', '0.9', { speech: 0.9 }),
  ];

  test('ids keeps the first row of each id', async () => {
    const frame = await load(csv(rows));
    const result = await dedupe(frame, 'ids');
    assert.equal(result.removed, 1);
    assert.equal(await frame.count(), 8);
    await frame.close();
  });

  test('versions keeps one row per recording, preferring the original', async () => {
    const frame = await load(csv(rows));
    await dedupe(frame, 'versions');
    const ids = (await frame.sql('SELECT id FROM tracks ORDER BY id')).rows.map((row) => row.id);
    assert.deepEqual(ids, ['g2', 'g4', 'g5', 'i1', 's1']);
    await frame.close();
  });

  test('drop-spoken removes speechiness above 0.66', async () => {
    const frame = await load(csv(rows));
    assert.equal(await dropSpoken(frame), 1);
    await frame.close();
  });
});
