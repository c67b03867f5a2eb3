/**
 * The catalogue the Spotify and ReccoBeats stand-ins serve: real artist,
 * album and track names, ids, cover URLs and audio features from the shared
 * 36-artist discographies file, with the artist ids of the genre-search
 * files. Anything the files lack (some artist ids, ISRCs) gets a stable
 * made-up id derived from a hash of the name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISCOGRAPHIES, GENRE_SEARCH, sharedData } from './shared-data.js';

/** Audio features as Spotify's `GET /audio-features` returns them. */
export interface StandInFeatures {
  danceability: number;
  energy: number;
  key: number;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  time_signature: number;
  duration_ms: number;
}

export interface StandInTrack {
  id: string;
  name: string;
  duration_ms: number;
  isrc: string;
  features: StandInFeatures;
}

export interface StandInAlbum {
  id: string;
  name: string;
  release_date: string;
  image: string | null;
  artistId: string;
  tracks: StandInTrack[];
}

export interface StandInArtist {
  id: string;
  name: string;
  albums: StandInAlbum[];
}

export interface Catalogue {
  artists: Map<string, StandInArtist>;
  albums: Map<string, StandInAlbum>;
  tracks: Map<string, StandInTrack>;
  /** Artist id by name. */
  artistIdOf(name: string): string;
}

const PITCH_CLASS: Record<string, number> = {
  C: 0, 'C#': 1, D: 2, 'D#': 3, E: 4, F: 5, 'F#': 6, G: 7, 'G#': 8, A: 9, 'A#': 10, B: 11,
};

/** Parses RFC 4180 CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Returns a stable made-up base62 id of 22 characters for `seed`. */
export function madeUpId(seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 22; i += 1) id += alphabet[digest[i] % 62];
  return id;
}

function madeUpIsrc(trackId: string): string {
  const digest = createHash('sha256').update(`isrc:${trackId}`).digest('hex').toUpperCase();
  return `QZ${digest.slice(0, 3)}${String(parseInt(digest.slice(3, 10), 16) % 10_000_000).padStart(7, '0')}`;
}

function genreSearchArtistIds(): Map<string, string> {
  const ids = new Map<string, string>();
  const folder = sharedData(GENRE_SEARCH);
  for (const file of readdirSync(folder).sort()) {
    const rows = parseCsv(readFileSync(join(folder, file), 'utf8'));
    const header = rows[0] ?? [];
    const nameColumn = header.indexOf('artist_name');
    const idColumn = header.indexOf('artist_id');
    if (nameColumn < 0 || idColumn < 0) continue;
    for (const row of rows.slice(1)) if (row[idColumn] && !ids.has(row[nameColumn])) ids.set(row[nameColumn], row[idColumn]);
  }
  return ids;
}

let loaded: Catalogue | undefined;

/** Loads the catalogue once per process. */
export function loadCatalogue(): Catalogue {
  if (loaded) return loaded;
  const knownIds = genreSearchArtistIds();
  const text = new TextDecoder('windows-1252').decode(readFileSync(sharedData(DISCOGRAPHIES)));
  const [header, ...rows] = parseCsv(text);
  const column = (name: string) => header.indexOf(name);
  const c = {
    album: column('album_uri'), albumName: column('album_name'), image: column('album_img'), release: column('album_release_date'),
    name: column('track_name'), id: column('track_uri'), artist: column('artist_name'), key: column('key'), mode: column('mode'),
    duration: column('duration_ms'), timeSignature: column('time_signature'),
  };
  const numeric = ['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'];

  const artists = new Map<string, StandInArtist>();
  const albums = new Map<string, StandInAlbum>();
  const tracks = new Map<string, StandInTrack>();
  const byName = new Map<string, string>();
  for (const row of rows) {
    if (row.length < header.length) continue;
    const artistName = row[c.artist];
    let artistId = byName.get(artistName);
    if (!artistId) {
      artistId = knownIds.get(artistName) ?? madeUpId(`artist:${artistName}`);
      byName.set(artistName, artistId);
      artists.set(artistId, { id: artistId, name: artistName, albums: [] });
    }
    let album = albums.get(row[c.album]);
    if (!album) {
      album = { id: row[c.album], name: row[c.albumName], release_date: row[c.release], image: row[c.image] || null, artistId, tracks: [] };
      albums.set(album.id, album);
      artists.get(artistId)!.albums.push(album);
    }
    const features = Object.fromEntries(numeric.map((name) => [name, Number(row[column(name)])])) as unknown as StandInFeatures;
    features.key = PITCH_CLASS[row[c.key]] ?? -1;
    features.mode = row[c.mode] === 'major' ? 1 : 0;
    features.time_signature = Number(row[c.timeSignature]);
    features.duration_ms = Number(row[c.duration]);
    const track = { id: row[c.id], name: row[c.name], duration_ms: features.duration_ms, isrc: madeUpIsrc(row[c.id]), features };
    album.tracks.push(track);
    tracks.set(track.id, track);
  }

  loaded = {
    artists,
    albums,
    tracks,
    artistIdOf(name: string): string {
      const id = byName.get(name);
      if (!id) throw new Error(`artist not in the catalogue: ${name}`);
      return id;
    },
  };
  return loaded;
}

/**
 * Adds a made-up box set holding every track of the artist again (new
 * stable ids, the same names and features): an album longer than one page
 * of 50 tracks, which the real file lacks. Idempotent.
 */
export function addBoxSet(catalogue: Catalogue, artistName: string): StandInAlbum {
  const artistId = catalogue.artistIdOf(artistName);
  const artist = catalogue.artists.get(artistId)!;
  const id = madeUpId(`box:${artistId}`);
  const existing = catalogue.albums.get(id);
  if (existing) return existing;

  const tracks = artist.albums.flatMap((album) => album.tracks).map((track) => {
    const copyId = madeUpId(`box-track:${track.id}`);
    return { ...track, id: copyId, isrc: madeUpIsrc(copyId) };
  });
  const box: StandInAlbum = { id, name: `${artistName}: The Complete Recordings`, release_date: '2020-01-01', image: null, artistId, tracks };
  artist.albums.push(box);
  catalogue.albums.set(id, box);
  for (const track of tracks) catalogue.tracks.set(track.id, track);
  return box;
}
