/**
 * Deduplication of the tracks table, and the spoken-word filter.
 *
 * - `ids`: one row per track id; the first row in input order survives.
 * - `versions`: one row per recording. Rows with the same ISRC are one
 *   recording. Rows without an ISRC are one recording when the artist and the
 *   normalised title match (see `versions.ts`) and the durations lie within
 *   {@link VERSION_DURATION_TOLERANCE_MS} of the group's shortest one. The
 *   surviving row is the one whose title has no version suffix, then the
 *   earliest release date, then the first in input order.
 */
import { SPOKEN_WORD_SPEECHINESS } from '../contracts/track-table.js';
import { InputError } from '../errors.js';
import type { TrackFrame } from './engine.js';
import { normaliseTitle, stripVersionSuffixes } from './versions.js';

/** How to deduplicate: one row per track id, or one row per recording. */
export type DedupeMode = 'ids' | 'versions';

/** Durations of versions of one recording may differ by this much (5 s; remasters trim silence). */
export const VERSION_DURATION_TOLERANCE_MS = 5000;

/** Row counts before and after deduplication. */
export interface DedupeResult {
  mode: DedupeMode;
  rowsBefore: number;
  rowsAfter: number;
  removed: number;
  /** Groups that had more than one row. */
  groups: number;
}

/** Parses the value of `--dedupe`. */
export function parseDedupeMode(value: string): DedupeMode {
  if (value === 'ids' || value === 'versions') return value;
  throw new InputError(`invalid --dedupe ${JSON.stringify(value)} (use ids or versions)`);
}

/** How many rows share a track id with another row. */
export interface IdDuplication {
  rows: number;
  distinctIds: number;
  /** Rows whose id occurs more than once. */
  rowsSharingId: number;
  /** Ids that occur more than once. */
  repeatedIds: number;
}

/** Counts rows that share a track id. */
export async function countIdDuplicates(frame: TrackFrame): Promise<IdDuplication> {
  const result = await frame.sql(
    'SELECT coalesce(sum(n), 0) AS row_count, count(*) AS distinct_ids, ' +
      'coalesce(sum(n) FILTER (WHERE n > 1), 0) AS rows_sharing, count(*) FILTER (WHERE n > 1) AS repeated ' +
      'FROM (SELECT id, count(*) AS n FROM tracks GROUP BY id) AS per_id',
  );
  const row = result.rows[0];
  return {
    rows: Number(row.row_count),
    distinctIds: Number(row.distinct_ids),
    rowsSharingId: Number(row.rows_sharing),
    repeatedIds: Number(row.repeated),
  };
}

/** Deduplicates the frame in place. */
export async function dedupe(frame: TrackFrame, mode: DedupeMode): Promise<DedupeResult> {
  const columns = await frame.readColumns(['id', 'isrc', 'artist', 'name', 'duration_ms', 'release_date']);
  const n = columns.id.length;
  const groups = mode === 'ids' ? groupByIds(columns.id) : groupByVersions(columns);

  const keep = new Uint8Array(n);
  let repeated = 0;
  for (const members of groups) {
    if (members.length > 1) repeated++;
    keep[mode === 'ids' ? members[0] : pickSurvivor(members, columns)] = 1;
  }
  await frame.retainRows(keep);
  const after = groups.length;
  return { mode, rowsBefore: n, rowsAfter: after, removed: n - after, groups: repeated };
}

function groupByIds(ids: unknown[]): number[][] {
  const groups = new Map<string, number[]>();
  ids.forEach((id, position) => {
    const key = String(id);
    const members = groups.get(key);
    if (members) members.push(position);
    else groups.set(key, [position]);
  });
  return [...groups.values()];
}

function groupByVersions(columns: Record<string, unknown[]>): number[][] {
  const byKey = new Map<string, number[]>();
  const n = columns.id.length;
  for (let position = 0; position < n; position++) {
    const isrc = columns.isrc[position];
    const name = columns.name[position];
    let key: string;
    if (typeof isrc === 'string' && isrc.trim() !== '') key = `isrc:${isrc.trim().toUpperCase()}`;
    else if (typeof name === 'string' && name.trim() !== '') key = `title:${String(columns.artist[position] ?? '').toLowerCase()}\u0000${normaliseTitle(name)}`;
    else key = `id:${String(columns.id[position])}`;
    const members = byKey.get(key);
    if (members) members.push(position);
    else byKey.set(key, [position]);
  }

  // Split title groups whose durations are too far apart to be one recording.
  const groups: number[][] = [];
  for (const [key, members] of byKey) {
    if (!key.startsWith('title:') || members.length === 1) {
      groups.push(members);
      continue;
    }
    const durations = (position: number) => {
      const value = columns.duration_ms[position];
      return typeof value === 'number' ? value : undefined;
    };
    const unknown = members.filter((position) => durations(position) === undefined);
    const known = members.filter((position) => durations(position) !== undefined).sort((a, b) => durations(a)! - durations(b)! || a - b);
    let current: number[] = [];
    let start = 0;
    for (const position of known) {
      if (current.length > 0 && durations(position)! - start > VERSION_DURATION_TOLERANCE_MS) {
        groups.push(current.sort((a, b) => a - b));
        current = [];
      }
      if (current.length === 0) start = durations(position)!;
      current.push(position);
    }
    // Rows without a duration cannot be distinguished, so they join the first group.
    if (current.length > 0 || unknown.length > 0) current.push(...unknown);
    if (current.length > 0) groups.push(current.sort((a, b) => a - b));
  }
  return groups.sort((a, b) => a[0] - b[0]);
}

function pickSurvivor(members: number[], columns: Record<string, unknown[]>): number {
  const hasSuffix = (position: number) => {
    const name = columns.name[position];
    return typeof name === 'string' && stripVersionSuffixes(name) !== name.trim();
  };
  const date = (position: number) => {
    const value = columns.release_date[position];
    return typeof value === 'string' && value !== '' ? value : '\uffff';
  };
  return [...members].sort((a, b) => Number(hasSuffix(a)) - Number(hasSuffix(b)) || date(a).localeCompare(date(b)) || a - b)[0];
}

/** Drops tracks with speechiness above 0.66 (probably spoken word); returns how many were dropped. */
export async function dropSpoken(frame: TrackFrame): Promise<number> {
  return frame.filter(`speechiness IS NULL OR NOT (speechiness > ${SPOKEN_WORD_SPEECHINESS})`);
}
