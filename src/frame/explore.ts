/**
 * The three exploration queries of the reference workflow, written in SQL
 * that DuckDB and Spark SQL both run:
 * 1. one artist's tracks ordered by a feature;
 * 2. per-artist averages of every audio feature, duration in minutes;
 * 3. each artist's top N tracks by a feature.
 * With many artists, tables list the artists with the most tracks first and
 * report how many were left out.
 */
import { AUDIO_FEATURE_COLUMNS, DEFAULT_FEATURE_COLUMNS } from '../contracts/track-table.js';
import { InputError } from '../errors.js';
import { TRACKS_TABLE, type QueryResult, type TrackFrame } from './engine.js';

/** A result table that may have left artists out. */
export interface ArtistTable extends QueryResult {
  /** Artists in the data but not in this table. */
  omittedArtists: number;
}

/** Numeric columns a user may order or rank by. */
export const ORDERABLE_COLUMNS: readonly string[] = [...AUDIO_FEATURE_COLUMNS, 'release_date', 'name'];

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function artistFilter(artists: string[] | undefined): string {
  if (!artists || artists.length === 0) return 'artist IS NOT NULL';
  return `artist IN (${artists.map(literal).join(', ')})`;
}

/** Returns the orderable column named `name` (case-insensitive); an unknown name is an error naming the flag. */
export function orderableColumn(name: string, flag: string): string {
  const column = ORDERABLE_COLUMNS.find((candidate) => candidate === name.trim().toLowerCase());
  if (column === undefined) throw new InputError(`invalid ${flag} ${JSON.stringify(name)} (use one of ${ORDERABLE_COLUMNS.join(', ')})`);
  return column;
}

/** Folds case, accents and surrounding spaces, so "édith piaf" finds "Edith Piaf". */
function foldName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
}

/** Levenshtein distance, for suggestions. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** Returns up to `count` artist names closest to `name`: substring matches first, then by edit distance. */
export function closestNames(name: string, candidates: string[], count = 3): string[] {
  const wanted = name.toLowerCase();
  return candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const contains = lower.includes(wanted) || wanted.includes(lower);
      return { candidate, score: contains ? 0 : editDistance(wanted, lower) };
    })
    // Keep names within half their length in edits: beyond that a suggestion is noise.
    .filter((entry) => entry.score <= Math.max(2, Math.floor(entry.candidate.length / 2)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((entry) => entry.candidate);
}

/**
 * Resolves artist names as the user typed them to names in the data
 * (case-insensitive). An unknown name is an error that suggests the closest ones.
 */
export async function resolveArtists(frame: TrackFrame, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const result = await frame.sql(`SELECT DISTINCT artist FROM ${TRACKS_TABLE} WHERE artist IS NOT NULL`);
  const known = result.rows.map((row) => String(row.artist));
  const byFolded = new Map(known.map((artist) => [foldName(artist), artist]));
  return names.map((name) => {
    const exact = known.find((artist) => artist === name) ?? byFolded.get(foldName(name));
    if (exact !== undefined) return exact;
    const suggestions = closestNames(name, known);
    const hint =
      suggestions.length > 0
        ? `did you mean ${suggestions.map((s) => JSON.stringify(s)).join(', ')}?`
        : `no similar name among the ${known.length} artists in the data; list them with --view averages --limit ${known.length}`;
    throw new InputError(`unknown artist ${JSON.stringify(name)}; ${hint}`);
  });
}

/** Options of {@link artistTracks}. */
export interface ArtistTracksOptions {
  /** Artists to show (names as in the data). Required: the first query filters one artist. */
  artists: string[];
  /** Column to order by. Default `acousticness`. */
  orderBy?: string;
  /** Descending order. Default true. */
  descending?: boolean;
  /** Rows to show. Default 20, as Spark's `show()`. */
  limit?: number;
}

/** Query 1: the chosen artists' tracks ordered by a feature (null and NaN last). */
export async function artistTracks(frame: TrackFrame, options: ArtistTracksOptions): Promise<QueryResult> {
  const orderBy = orderableColumn(options.orderBy ?? 'acousticness', '--order-by');
  const q = (name: string) => frame.quote(name);
  const direction = options.descending === false ? 'ASC' : 'DESC';
  const features = DEFAULT_FEATURE_COLUMNS.filter((name) => name !== orderBy).map(q);
  const invalid = ['name', 'release_date'].includes(orderBy) ? `${q(orderBy)} IS NULL` : `${q(orderBy)} IS NULL OR isnan(${q(orderBy)})`;
  return frame.sql(
    `SELECT artist, name, album, ${q(orderBy)}, ${features.join(', ')}, id FROM ${TRACKS_TABLE} ` +
      `WHERE ${artistFilter(options.artists)} ` +
      `ORDER BY CASE WHEN ${invalid} THEN 1 ELSE 0 END, ${q(orderBy)} ${direction}, name, id LIMIT ${options.limit ?? 20}`,
  );
}

/** Options of {@link artistAverages}. */
export interface ArtistAveragesOptions {
  /** Artists to include; default all. */
  artists?: string[];
  /** Artists to show, those with the most tracks first. Default 20. */
  limit?: number;
}

/** Categorical columns left out of the averages: a mean pitch class or bar length means nothing. */
export const NOT_AVERAGED = ['key', 'time_signature', 'duration_ms'];

/**
 * Query 2: per-artist averages of every audio feature, with duration in
 * minutes. `mode` averages to the share of tracks in a major key; `key` and
 * `time_signature` are categories and are left out.
 */
export async function artistAverages(frame: TrackFrame, options: ArtistAveragesOptions = {}): Promise<ArtistTable> {
  const q = (name: string) => frame.quote(name);
  const averaged = AUDIO_FEATURE_COLUMNS.filter((name) => !NOT_AVERAGED.includes(name)).map((name) => `avg(${q(name)}) AS ${q(name)}`);
  const limit = options.limit ?? 20;
  const result = await frame.sql(
    `SELECT artist, count(*) AS tracks, ${averaged.join(', ')}, avg(duration_ms) / 60 / 1000 AS duration_min ` +
      `FROM ${TRACKS_TABLE} WHERE ${artistFilter(options.artists)} GROUP BY artist ORDER BY tracks DESC, artist LIMIT ${limit}`,
  );
  const total = await countArtists(frame, options.artists);
  return { ...result, omittedArtists: Math.max(0, total - result.rows.length) };
}

/** Options of {@link topTracks}. */
export interface TopTracksOptions {
  /** Artists to include; default all. */
  artists?: string[];
  /** Tracks per artist. Default 3. */
  n?: number;
  /** Feature to rank by, descending. Default `danceability`. */
  by?: string;
  /** Artists to show, those with the most tracks first. Default 20. */
  artistLimit?: number;
}

/**
 * Query 3: each artist's top N tracks by a feature, descending.
 *
 * Tie rule: exactly N rows per artist (fewer when the artist has fewer ranked
 * tracks). Ties at the cut-off are broken by track name, then id, so the
 * result is deterministic; Spark's `rank() <= N` would return every tied row.
 * The `rank` column contains the `rank()` value, so ties stay visible. Tracks
 * whose feature is null or NaN are not ranked at all.
 */
export async function topTracks(frame: TrackFrame, options: TopTracksOptions = {}): Promise<ArtistTable> {
  const by = orderableColumn(options.by ?? 'danceability', '--top-by');
  const n = options.n ?? 3;
  if (!Number.isInteger(n) || n < 1) throw new InputError(`invalid --top ${n} (use a whole number of at least 1)`);
  const q = (name: string) => frame.quote(name);
  const artistLimit = options.artistLimit ?? 20;
  const value = `t.${q(by)}`;
  const valid = ['name', 'release_date'].includes(by) ? `${value} IS NOT NULL` : `${value} IS NOT NULL AND NOT isnan(${value})`;

  const result = await frame.sql(
    `WITH shown AS (` +
      `SELECT artist, count(*) AS tracks FROM ${TRACKS_TABLE} WHERE ${artistFilter(options.artists)} ` +
      `GROUP BY artist ORDER BY tracks DESC, artist LIMIT ${artistLimit}), ` +
      `ranked AS (SELECT t.artist, t.name, t.album, ${value}, t.id, t.duration_ms, s.tracks, ` +
      `rank() OVER (PARTITION BY t.artist ORDER BY ${value} DESC) AS ${q('rank')}, ` +
      `row_number() OVER (PARTITION BY t.artist ORDER BY ${value} DESC, t.name, t.id) AS position ` +
      `FROM ${TRACKS_TABLE} t JOIN shown s ON t.artist = s.artist WHERE ${valid}) ` +
      `SELECT artist, ${q('rank')}, name, album, ${q(by)}, id, duration_ms FROM ranked WHERE position <= ${n} ` +
      `ORDER BY tracks DESC, artist, position`,
  );
  const total = await countArtists(frame, options.artists);
  const shownArtists = new Set(result.rows.map((row) => row.artist)).size;
  return { ...result, omittedArtists: Math.max(0, total - shownArtists) };
}

async function countArtists(frame: TrackFrame, artists: string[] | undefined): Promise<number> {
  const result = await frame.sql(`SELECT count(DISTINCT artist) AS n FROM ${TRACKS_TABLE} WHERE ${artistFilter(artists)}`);
  return Number(result.rows[0].n);
}

/** Returns the artist with the most tracks (ties: alphabetical), or undefined when no row has an artist. */
export async function busiestArtist(frame: TrackFrame): Promise<string | undefined> {
  const result = await frame.sql(`SELECT artist, count(*) AS n FROM ${TRACKS_TABLE} WHERE artist IS NOT NULL GROUP BY artist ORDER BY n DESC, artist LIMIT 1`);
  return result.rows[0]?.artist as string | undefined;
}
