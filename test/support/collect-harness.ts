/**
 * Test setup for the collection: the Spotify and ReccoBeats stand-ins on
 * 127.0.0.1, a fresh cache directory and client settings that make retries
 * fast (short backoff, no client-side rate limit).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectTracks, type CollectOptions, type CollectResult } from '../../src/collect/collect.js';
import type { GrooviestEvent } from '../../src/contracts/events.js';
import { ReccoBeatsStandIn, type ReccoBeatsStandInOptions } from './reccobeats-stand-in.js';
import { addBoxSet, loadCatalogue, type Catalogue } from './stand-in-catalogue.js';
import { SpotifyStandIn, type SpotifyMode, type SpotifyStandInOptions } from './spotify-stand-in.js';

export const CLIENT_ID = 'stand-in-client-id-5f3a9c';
export const CLIENT_SECRET = 'stand-in-client-secret-8e21d7b4c0';

/** Artists of the full collections, given in every accepted form. */
export const ARTISTS = [
  '0k17h0D3J5VfsdmQ1iZtE9', // Pink Floyd by id; its box set has more than 50 tracks
  'Skrillex', // by name
  'Alizée', // by name; made-up id
  'spotify:artist:4fEkbug6kZzzJ8eYX6Kbbp', // KK by URI
];

export interface Harness {
  catalogue: Catalogue;
  spotify: SpotifyStandIn;
  reccobeats: ReccoBeatsStandIn;
  cacheDirectory: string;
  events: GrooviestEvent[];
  /** Runs a collection against the stand-ins with the given overrides. */
  collect(overrides?: Partial<CollectOptions>): Promise<CollectResult>;
  close(): Promise<void>;
}

/** Starts both stand-ins and returns a harness with a fresh cache. */
export async function startHarness(
  mode: SpotifyMode,
  spotifyOptions: Partial<SpotifyStandInOptions> = {},
  reccobeatsOptions: Partial<ReccoBeatsStandInOptions> = {},
): Promise<Harness> {
  const catalogue = loadCatalogue();
  addBoxSet(catalogue, 'Pink Floyd');
  const spotify = await SpotifyStandIn.start({ catalogue, mode, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...spotifyOptions });
  const reccobeats = await ReccoBeatsStandIn.start({ catalogue, ...reccobeatsOptions });
  const cacheDirectory = await mkdtemp(join(tmpdir(), 'grooviest-collect-'));
  const events: GrooviestEvent[] = [];
  return {
    catalogue,
    spotify,
    reccobeats,
    cacheDirectory,
    events,
    collect(overrides = {}) {
      return collectTracks({
        artists: ARTISTS,
        credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        provider: mode === 'old' ? 'spotify' : 'reccobeats',
        spotifyUrl: spotify.apiUrl,
        accountsUrl: spotify.accountsUrl,
        reccobeatsUrl: reccobeats.url,
        cacheDirectory,
        onEvent: (event) => events.push(event),
        ...overrides,
        http: { requestsPerSecond: 10_000, backoffBaseMs: 5, backoffMaxMs: 50, timeoutMs: 10_000, ...overrides.http },
      });
    },
    async close() {
      await spotify.close();
      await reccobeats.close();
      await rm(cacheDirectory, { recursive: true, force: true });
    },
  };
}

/** Albums and track counts of the collected artists, from the catalogue: the basis of the request-count formulas. */
export function artistsOf(harness: Harness, names: readonly string[]): { albums: number; tracks: number[] }[] {
  return names.map((name) => {
    const artist = harness.catalogue.artists.get(harness.catalogue.artistIdOf(name))!;
    return { albums: artist.albums.length, tracks: artist.albums.map((album) => album.tracks.length) };
  });
}

/** Names of {@link ARTISTS}, in the same order. */
export const ARTIST_NAMES = ['Pink Floyd', 'Skrillex', 'Alizée', 'KK'];
