/**
 * The canonical track table: the one schema every stage reads and writes.
 *
 * Column names follow the Spotify Web API where it has them. Types are fixed
 * here rather than guessed per input file, so CSV, JSON and Parquet inputs
 * give the same table. Input columns that are not listed here are kept as
 * they are, after the canonical ones.
 */

/** SQL type of a canonical column, as DuckDB spells it. */
export type TrackColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE';

/** One column of the canonical track table. */
export interface TrackColumn {
  name: string;
  type: TrackColumnType;
  /** Inclusive range of normal values; values outside it are warned about, never rejected. */
  range?: readonly [number, number];
  description: string;
}

/** The nine audio features the reference workflow clusters on, by name. */
export const DEFAULT_FEATURE_COLUMNS = [
  'acousticness',
  'danceability',
  'energy',
  'instrumentalness',
  'liveness',
  'loudness',
  'speechiness',
  'tempo',
  'valence',
] as const;

/** Audio features measured on a 0..1 scale by Spotify. */
export const UNIT_FEATURE_COLUMNS = [
  'danceability',
  'energy',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
] as const;

/** Every numeric audio-feature column of the canonical table. */
export const AUDIO_FEATURE_COLUMNS = [
  ...UNIT_FEATURE_COLUMNS,
  'loudness',
  'tempo',
  'key',
  'mode',
  'time_signature',
  'duration_ms',
] as const;

/** Speechiness above this value marks a track as probably spoken word (Spotify's documentation). */
export const SPOKEN_WORD_SPEECHINESS = 0.66;

const unit = [0, 1] as const;

/** The canonical columns, in output order. */
export const TRACK_COLUMNS: readonly TrackColumn[] = [
  { name: 'id', type: 'VARCHAR', description: 'Spotify track id; a stable row key is made when the input has no ids' },
  { name: 'name', type: 'VARCHAR', description: 'track title' },
  { name: 'artist', type: 'VARCHAR', description: 'artist name (the first artist when a track has several)' },
  { name: 'album', type: 'VARCHAR', description: 'album name' },
  { name: 'artist_id', type: 'VARCHAR', description: 'Spotify artist id' },
  { name: 'album_id', type: 'VARCHAR', description: 'Spotify album id' },
  { name: 'isrc', type: 'VARCHAR', description: 'International Standard Recording Code' },
  { name: 'release_date', type: 'VARCHAR', description: 'as given: year, year-month or full date' },
  { name: 'album_image_url', type: 'VARCHAR', description: 'album cover URL, for charts' },
  { name: 'duration_ms', type: 'INTEGER', range: [0, 6 * 60 * 60 * 1000], description: 'track length in milliseconds' },
  { name: 'key', type: 'INTEGER', range: [-1, 11], description: 'pitch class 0..11, -1 when no key was detected' },
  { name: 'mode', type: 'INTEGER', range: [0, 1], description: '0 minor, 1 major' },
  { name: 'time_signature', type: 'INTEGER', range: [0, 7], description: 'beats per bar; 0..7 occur in real data' },
  { name: 'danceability', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'energy', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'speechiness', type: 'DOUBLE', range: unit, description: '0..1; above 0.66 probably spoken word' },
  { name: 'acousticness', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'instrumentalness', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'liveness', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'valence', type: 'DOUBLE', range: unit, description: '0..1' },
  { name: 'loudness', type: 'DOUBLE', range: [-60, 6], description: 'decibels; small positive values occur' },
  { name: 'tempo', type: 'DOUBLE', range: [0, 260], description: 'beats per minute; 0 occurs for silent tracks' },
  { name: 'features_source', type: 'VARCHAR', description: 'who supplied the audio features: spotify, reccobeats or a file name' },
];

/** Names of the canonical columns, in output order. */
export const TRACK_COLUMN_NAMES: readonly string[] = TRACK_COLUMNS.map((column) => column.name);

/** Looks up a canonical column by name. */
export function trackColumn(name: string): TrackColumn | undefined {
  return TRACK_COLUMNS.find((column) => column.name === name);
}
