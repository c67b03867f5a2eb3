/**
 * The range check of the canonical numeric columns: values outside the
 * documented ranges are not errors, but one warning per column reports how
 * many there are, with an example.
 */
import type { OnEvent } from '../contracts/events.js';
import { TRACK_COLUMNS } from '../contracts/track-table.js';
import { TRACKS_TABLE, type TrackFrame } from './engine.js';

/** Values of one column outside its range. */
export interface RangeViolation {
  column: string;
  range: readonly [number, number];
  count: number;
  example: { id: unknown; name: unknown; artist: unknown; value: number };
}

/** Counts values outside the canonical ranges and reports each offending column as a `range` warning. */
export async function checkRanges(frame: TrackFrame, onEvent: OnEvent): Promise<RangeViolation[]> {
  const q = (name: string) => frame.quote(name);
  const checked = TRACK_COLUMNS.filter((column) => column.range !== undefined);
  const outside = (name: string, [low, high]: readonly [number, number]) => `(${q(name)} < ${low} OR (${q(name)} > ${high} AND NOT isnan(${q(name)})))`;
  const counts = checked.map((column) => `count(*) FILTER (WHERE ${outside(column.name, column.range!)}) AS ${q(column.name)}`);
  const doubles = TRACK_COLUMNS.filter((column) => column.type === 'DOUBLE');
  const nanCounts = doubles.map((column) => `count(*) FILTER (WHERE isnan(${q(column.name)})) AS ${q('nan_' + column.name)}`);
  const result = await frame.sql(`SELECT ${[...counts, ...nanCounts].join(', ')} FROM ${TRACKS_TABLE}`);
  const row = result.rows[0] ?? {};

  // NaN is a value Spark's readers produce too; the model's --handle-invalid decides about it.
  const nans = doubles.map((column) => ({ column: column.name, count: Number(row['nan_' + column.name] ?? 0) })).filter((entry) => entry.count > 0);
  if (nans.length > 0) {
    onEvent({
      type: 'warning',
      code: 'nan-values',
      message: `NaN values in ${nans.map((entry) => `${entry.column} (${entry.count})`).join(', ')}; KMeans rejects them; --handle-invalid skip drops those rows`,
      details: { columns: nans },
    });
  }

  const violations: RangeViolation[] = [];
  for (const column of checked) {
    const count = Number(row[column.name] ?? 0);
    if (count === 0) continue;
    const example = await frame.sql(
      `SELECT id, name, artist, ${q(column.name)} AS value FROM ${TRACKS_TABLE} WHERE ${outside(column.name, column.range!)} LIMIT 1`,
    );
    const first = example.rows[0];
    const violation: RangeViolation = {
      column: column.name,
      range: column.range!,
      count,
      example: { id: first.id, name: first.name, artist: first.artist, value: Number(first.value) },
    };
    violations.push(violation);
    onEvent({
      type: 'warning',
      code: 'range',
      message:
        `${count} value${count === 1 ? '' : 's'} of ${column.name} outside ${column.range![0]}..${column.range![1]}, ` +
        `e.g. ${violation.example.value} for "${String(first.name ?? first.id)}"${first.artist ? ` by ${String(first.artist)}` : ''}`,
      details: { ...violation },
    });
  }
  return violations;
}
