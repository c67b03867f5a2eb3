/**
 * Recognises the column layout of a track file and maps it to the canonical
 * track table. Known layouts: the canonical table itself, raw Spotify API
 * audio features, R's spotifyr exports (note names for `key`, `major`/`minor`
 * for `mode`), the TidyTuesday 2020-01-21 songs file, the 2024 genre-search
 * exports, and Kaggle-style files with an `artists` list column. Matching is by
 * column name, case-insensitively; users map anything else with
 * `--column canonical=theirs`.
 */
import { DEFAULT_FEATURE_COLUMNS, TRACK_COLUMNS, type TrackColumn } from '../contracts/track-table.js';
import { InputError } from '../errors.js';

/** Parser that turns a source value into a canonical value. */
export type ValueParser =
  | 'text'
  /** A Spotify id, also accepted as a `spotify:track:…` URI or an open.spotify.com URL. */
  | 'spotify-id'
  /** The first name of a list: a Python-style list literal `['A', 'B']` or `A;B`. */
  | 'first-of-list'
  | 'double'
  | 'integer'
  /** A pitch class 0..11 (−1 = none), also accepted as a note name such as `C#` or `Eb`. */
  | 'key'
  /** 1 or 0, also accepted as `major` or `minor`. */
  | 'mode';

/** Source columns of one canonical column in a file. */
export interface ColumnSource {
  column: TrackColumn;
  /** Source columns, in order of preference; the first non-null value wins. */
  sources: string[];
  parser: ValueParser;
}

/** The mapping of one source file to the canonical table. */
export interface LayoutMapping {
  /** Name of the recognised layout, for messages. */
  layout: string;
  mapped: ColumnSource[];
  /** Canonical columns with no source: they are null in this file. */
  missing: string[];
  /** Source columns kept as they are, after the canonical ones. */
  extras: string[];
}

/** Source column names accepted for each canonical column, in order of preference. */
const ALIASES: Record<string, string[]> = {
  id: ['id', 'track_id', 'track_uri', 'uri', 'spotify_id', 'trackid', 'spotify_track_id'],
  name: ['name', 'track_name', 'title', 'song_name', 'song', 'track'],
  artist: ['artist', 'artist_name', 'track_artist', 'artists', 'artist_names', 'artists_name'],
  album: ['album', 'album_name', 'track_album_name'],
  artist_id: ['artist_id', 'artist_uri', 'id_artists', 'artist_ids'],
  album_id: ['album_id', 'album_uri', 'track_album_id'],
  isrc: ['isrc', 'external_ids_isrc'],
  release_date: ['release_date', 'album_release_date', 'track_album_release_date'],
  album_image_url: ['album_image_url', 'album_img', 'album_image', 'album_cover', 'image_url', 'cover_url'],
};

/** Returns the canonical column a source column name is loaded as, when it is a known alias of one. */
export function canonicalColumnOf(source: string): string | undefined {
  const lower = source.toLowerCase();
  return Object.keys(ALIASES).find((canonical) => ALIASES[canonical].includes(lower));
}

const LIST_COLUMNS = new Set(['artists', 'artist_names', 'artists_name', 'id_artists', 'artist_ids']);
const ID_COLUMNS = new Set(['id', 'artist_id', 'album_id']);

/** Columns that identify a row index written by R or pandas; they are dropped. */
function isIndexColumn(name: string): boolean {
  return name === '' || /^column0+$/.test(name) || /^unnamed: ?0$/i.test(name) || name === '...1';
}

function parserFor(column: TrackColumn, source: string): ValueParser {
  if (column.name === 'key') return 'key';
  if (column.name === 'mode') return 'mode';
  if (column.type === 'DOUBLE') return 'double';
  if (column.type === 'INTEGER') return 'integer';
  if (LIST_COLUMNS.has(source.toLowerCase())) return 'first-of-list';
  if (ID_COLUMNS.has(column.name)) return 'spotify-id';
  return 'text';
}

function detectLayoutName(lower: Set<string>): string {
  if (lower.has('track_uri') && lower.has('album_img')) return 'spotifyr';
  if (lower.has('track_artist') && lower.has('playlist_genre')) return 'tidytuesday';
  if (lower.has('artist_genres') && lower.has('data_collection_date')) return 'genre-search';
  if (lower.has('analysis_url') || lower.has('track_href')) return 'spotify-api';
  if (lower.has('artists')) return 'kaggle';
  if (lower.has('artist') && lower.has('id')) return 'canonical';
  return 'custom';
}

/** Parses `--column canonical=theirs` values into a map; invalid names are errors. */
export function parseColumnOverrides(values: string[]): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    const canonical = at < 0 ? '' : value.slice(0, at).trim();
    const theirs = at < 0 ? '' : value.slice(at + 1).trim();
    if (canonical === '' || theirs === '') {
      throw new InputError(`invalid --column ${JSON.stringify(value)} (use --column canonical_name=their_column, e.g. --column artist=Performer)`);
    }
    if (!TRACK_COLUMNS.some((column) => column.name === canonical)) {
      throw new InputError(
        `invalid --column ${JSON.stringify(value)}: ${canonical} is not a track-table column (use one of ${TRACK_COLUMNS.map((c) => c.name).join(', ')})`,
      );
    }
    overrides.set(canonical, theirs);
  }
  return overrides;
}

/**
 * Maps the columns of one source file to the canonical table.
 * Throws an {@link InputError} listing the columns found and expected when the
 * nine default audio features cannot all be found.
 */
export function mapLayout(
  fileName: string,
  sourceColumns: string[],
  overrides: Map<string, string> = new Map(),
  requiredFeatures: readonly string[] = DEFAULT_FEATURE_COLUMNS,
): LayoutMapping {
  const byLower = new Map<string, string>();
  for (const name of sourceColumns) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  const used = new Set<string>();
  const mapped: ColumnSource[] = [];
  const missing: string[] = [];

  for (const column of TRACK_COLUMNS) {
    const override = overrides.get(column.name);
    let sources: string[];
    if (override !== undefined) {
      const actual = byLower.get(override.toLowerCase());
      if (actual === undefined) {
        throw new InputError(
          `--column ${column.name}=${override}: ${fileName} has no column ${JSON.stringify(override)} (its columns: ${sourceColumns.join(', ')})`,
        );
      }
      sources = [actual];
    } else {
      const candidates = ALIASES[column.name] ?? [column.name];
      sources = candidates.map((alias) => byLower.get(alias)).filter((name): name is string => name !== undefined && !used.has(name));
    }
    if (sources.length === 0) {
      missing.push(column.name);
      continue;
    }
    for (const source of sources) used.add(source);
    mapped.push({ column, sources, parser: parserFor(column, sources[0]) });
  }

  const missingFeatures = requiredFeatures.filter((name) => missing.includes(name));
  if (missingFeatures.length > 0) {
    const example = missingFeatures[0];
    throw new InputError(
      `unknown layout in ${fileName}: missing audio-feature columns ${missingFeatures.join(', ')}. ` +
        `Columns found: ${sourceColumns.join(', ')}. Expected: ${requiredFeatures.join(', ')} ` +
        `(and optionally id, name, artist, album, duration_ms, key, mode, time_signature). ` +
        `Map yours with --column canonical=theirs (repeatable), e.g. --column ${example}=${capitalise(example)}` +
        (requiredFeatures === DEFAULT_FEATURE_COLUMNS ? ', or cluster on the features the file has with --features' : ''),
    );
  }

  const lower = new Set(sourceColumns.map((name) => name.toLowerCase()));
  const extras = sourceColumns.filter((name) => !used.has(name) && !isIndexColumn(name));
  return { layout: detectLayoutName(lower), mapped, missing, extras };
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Pitch classes of note names, sharps and flats (C = 0). */
export const NOTE_PITCH_CLASSES: Record<string, number> = {
  'C': 0, 'B#': 0, 'C#': 1, 'DB': 1, 'D': 2, 'D#': 3, 'EB': 3, 'E': 4, 'FB': 4, 'F': 5, 'E#': 5,
  'F#': 6, 'GB': 6, 'G': 7, 'G#': 8, 'AB': 8, 'A': 9, 'A#': 10, 'BB': 10, 'B': 11, 'CB': 11,
};
