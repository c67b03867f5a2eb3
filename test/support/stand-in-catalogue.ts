/**
 * The catalogue the Spotify and ReccoBeats stand-ins serve. The 36-artist
 * discographies file gives real artist, album and track names, ids, cover
 * URLs and audio features, and the genre-search files give artist ids and
 * more artists (only the tracks their searches found). Anything the files
 * lack (some artist ids, album ids, ISRCs) gets a stable made-up id derived
 * from a hash of the name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISCOGRAPHIES, GENRE_SEARCH, sharedData } from './shared-data.js';
import { parseCsv, readWindows1252 } from './csv.js';

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
  /** Undefined for the few tracks without features: Spotify returns a null entry for them. */
  features?: StandInFeatures;
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

/** Reads the rows of every genre-search file as objects by column name, skipping files without a header. */
function readGenreSearch(): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  const folder = sharedData(GENRE_SEARCH);
  for (const file of readdirSync(folder).sort()) {
    const [header, ...body] = parseCsv(readFileSync(join(folder, file), 'utf8'));
    if (!header || !header.includes('track_id')) continue;
    for (const row of body) if (row.length === header.length) rows.push(Object.fromEntries(header.map((name, i) => [name, row[i]])));
  }
  return rows;
}

const FEATURE_NAMES = ['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'];

/** Returns the features of a genre-search row, or undefined when a value is missing. */
function genreSearchFeatures(row: Record<string, string>): StandInFeatures | undefined {
  const names = [...FEATURE_NAMES, 'key', 'mode', 'time_signature', 'duration_ms'];
  if (names.some((name) => row[name] === undefined || row[name] === '' || Number.isNaN(Number(row[name])))) return undefined;
  return Object.fromEntries(names.map((name) => [name, Number(row[name])])) as unknown as StandInFeatures;
}

let loaded: Catalogue | undefined;

/** Loads the catalogue once per process. */
export function loadCatalogue(): Catalogue {
  if (loaded) return loaded;
  const genreSearch = readGenreSearch();
  const knownIds = new Map<string, string>();
  for (const row of genreSearch) if (row.artist_id && !knownIds.has(row.artist_name)) knownIds.set(row.artist_name, row.artist_id);
  const text = readWindows1252(sharedData(DISCOGRAPHIES));
  const [header, ...rows] = parseCsv(text);
  const column = (name: string) => header.indexOf(name);
  const c = {
    album: column('album_uri'), albumName: column('album_name'), image: column('album_img'), release: column('album_release_date'),
    name: column('track_name'), id: column('track_uri'), artist: column('artist_name'), key: column('key'), mode: column('mode'),
    duration: column('duration_ms'), timeSignature: column('time_signature'),
  };

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
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, Number(row[column(name)])])) as unknown as StandInFeatures;
    features.key = PITCH_CLASS[row[c.key]] ?? -1;
    features.mode = row[c.mode] === 'major' ? 1 : 0;
    features.time_signature = Number(row[c.timeSignature]);
    features.duration_ms = Number(row[c.duration]);
    const track = { id: row[c.id], name: row[c.name], duration_ms: features.duration_ms, isrc: madeUpIsrc(row[c.id]), features };
    album.tracks.push(track);
    tracks.set(track.id, track);
  }

  // Artists of the genre-search files that the discographies file lacks, with
  // the tracks found for them (made-up album ids, no covers).
  const discographyArtists = new Set(artists.keys());
  for (const row of genreSearch) {
    if (!row.artist_id || discographyArtists.has(row.artist_id) || tracks.has(row.track_id)) continue;
    if (byName.has(row.artist_name) && byName.get(row.artist_name) !== row.artist_id) continue;
    let artist = artists.get(row.artist_id);
    if (!artist) {
      artist = { id: row.artist_id, name: row.artist_name, albums: [] };
      artists.set(artist.id, artist);
      byName.set(artist.name, artist.id);
    }

    const albumId = madeUpId(`album:${artist.id}:${row.album_name}`);
    let album = albums.get(albumId);
    if (!album) {
      album = { id: albumId, name: row.album_name, release_date: row.release_date, image: null, artistId: artist.id, tracks: [] };
      albums.set(albumId, album);
      artist.albums.push(album);
    }
    const features = genreSearchFeatures(row);
    const track = { id: row.track_id, name: row.track_name, duration_ms: Number(row.duration_ms), isrc: madeUpIsrc(row.track_id), features };
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
