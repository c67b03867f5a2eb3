/**
 * Writes track rows to a Parquet, CSV or JSON file in the canonical column
 * order and types, through DuckDB. The file appears under its name only when
 * it is complete: DuckDB writes a temporary file beside it, which is then
 * renamed into place.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import { extname } from 'node:path';
import { TRACK_COLUMNS, type TrackColumnType } from '../contracts/track-table.js';
import { InputError } from '../errors.js';
import { withAtomicTarget } from '../files/atomic-write.js';
import { loadDuckDB } from './local/duckdb-module.js';

/** File format of a written table. */
export type TableFileFormat = 'parquet' | 'csv' | 'json';

/** One row: canonical columns by name, plus any extra columns. */
export type TableRow = Record<string, string | number | boolean | null | undefined>;

/** A column that is not in the canonical table, written after the canonical ones. */
export interface ExtraColumn {
  name: string;
  type: TrackColumnType | 'BOOLEAN';
}

/** Options of {@link writeTrackTable}. */
export interface WriteTableOptions {
  /** File format; default from the extension of the path (`.csv`, `.json`), Parquet otherwise. */
  format?: TableFileFormat;
  /** Columns outside the canonical table, in output order; default none. */
  extraColumns?: readonly ExtraColumn[];
}

/** Returns the file format for a path: `.csv` and `.json` by extension, Parquet for anything else. */
export function tableFormatFor(path: string): TableFileFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return 'json';
  return 'parquet';
}

/**
 * Writes `rows` to `path` with the canonical columns first (their fixed types)
 * and the extra columns after them. Missing values become NULL. The target is
 * replaced atomically; on any failure no file is left under its name.
 */
export async function writeTrackTable(path: string, rows: readonly TableRow[], options: WriteTableOptions = {}): Promise<void> {
  const format = options.format ?? tableFormatFor(path);
  const columns = [...TRACK_COLUMNS.map(({ name, type }) => ({ name, type })), ...(options.extraColumns ?? [])];
  const { DuckDBConnection, DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await DuckDBConnection.create(instance);
  try {
    const definition = columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ');
    await connection.run(`CREATE TABLE tracks (${definition})`);

    // Append every row with the column's own type, so nothing is guessed.
    const appender = await connection.createAppender('tracks');
    for (const [index, row] of rows.entries()) {
      for (const column of columns) appendCell(appender, column, row[column.name], index);
      appender.endRow();
    }
    appender.closeSync();

    await withAtomicTarget(path, async (temporary) => {
      await connection.run(`COPY tracks TO ${quoteLiteral(temporary)} (${copyOptions(format)})`);
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function copyOptions(format: TableFileFormat): string {
  switch (format) {
    case 'parquet':
      return 'FORMAT parquet';
    case 'csv':
      return 'FORMAT csv, HEADER true';
    case 'json':
      return 'FORMAT json, ARRAY true';
  }
}

function appendCell(appender: DuckDBAppender, column: ExtraColumn, value: TableRow[string], rowIndex: number): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'VARCHAR':
      appender.appendVarchar(String(value));
      return;
    case 'INTEGER':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidCell(column, value, rowIndex, 'an integer');
      appender.appendInteger(value);
      return;
    case 'DOUBLE':
      if (typeof value !== 'number') throw invalidCell(column, value, rowIndex, 'a number');
      appender.appendDouble(value);
      return;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw invalidCell(column, value, rowIndex, 'true or false');
      appender.appendBoolean(value);
      return;
  }
}

function invalidCell(column: ExtraColumn, value: unknown, rowIndex: number, expected: string): InputError {
  return new InputError(`invalid value in row ${rowIndex + 1}, column "${column.name}": ${JSON.stringify(value)} (expected ${expected})`);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
