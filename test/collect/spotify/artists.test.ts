import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArtistId } from '../../../src/collect/spotify/artists.js';

const YES = '7AC976RDJzL2asmZuz7qil';

test('parseArtistId: bare id', () => {
  assert.equal(parseArtistId(YES), YES);
});

test('parseArtistId: URI', () => {
  assert.equal(parseArtistId(`spotify:artist:${YES}`), YES);
});

test('parseArtistId: open.spotify.com link', () => {
  assert.equal(parseArtistId(`https://open.spotify.com/artist/${YES}?si=abc`), YES);
  assert.equal(parseArtistId(`https://open.spotify.com/intl-de/artist/${YES}`), YES);
});

test('parseArtistId: names are not ids', () => {
  assert.equal(parseArtistId('Yes'), undefined);
  assert.equal(parseArtistId('King Crimson'), undefined);
  assert.equal(parseArtistId('spotify:track:7AC976RDJzL2asmZuz7qil'), undefined);
});
