/**
 * The engine-neutral frame API. An engine loads track files into a table named
 * `tracks` in the canonical schema and runs SQL over it. Exploration,
 * deduplication and the ML hand-off are written against this interface, so a
 * second engine (Spark through Spark Connect) plugs in here.
 */
import type { Dataset } from '../contracts/dataset.js';
import type { OnEvent } from '../contracts/events.js';

/** Name of the table every engine loads the tracks into. */
export const TRACKS_TABLE = 'tracks';

/** Columns each engine adds after the canonical and extra columns, to trace rows back to their files. */
export const SOURCE_COLUMNS = ['source_file', 'source_row'] as const;

/** A query result: column names and rows of plain JS values (numbers, strings, null; bigint for 64-bit integers). */
export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Inputs and options of a load. */
export interface LoadOptions {
  /** Files, globs, directories or http(s) URLs. */
  inputs: string[];
  /** `--column canonical=theirs` mappings, applied to every file that has `theirs`. */
  columns?: Map<string, string>;
  /** Cache directory for downloads and transcoded copies; default from `paths.ts`. */
  cacheDir?: string;
  /** Download URLs again even when cached. Default false. */
  refreshDownloads?: boolean;
  /**
   * Audio-feature columns every file must have; default the nine of the
   * reference workflow. A run passes its --features, so a file without an
   * unused feature still loads (that column is null).
   */
  requiredFeatures?: readonly string[];
  onEvent?: OnEvent;
}

/** One file read by a load. */
export interface LoadedFile {
  name: string;
  /** Local path that was read (for downloads, the cached copy). */
  path: string;
  layout: string;
  rows: number;
  encoding?: string;
}

/** Summary of a load: the files read, the files skipped as empty, the rows. */
export interface LoadSummary {
  files: LoadedFile[];
  skippedFiles: string[];
  rows: number;
}

/** Rule for null and NaN in feature columns (Spark's `handleInvalid`). */
export type HandleInvalid = 'error' | 'skip' | 'keep';

/** The loaded tracks in one engine. */
export interface TrackFrame {
  /** Engine name: `local` or `spark`. */
  readonly engine: string;
  readonly summary: LoadSummary;
  /** Quotes an identifier for this engine's SQL dialect. */
  quote(identifier: string): string;
  /** Runs SQL over the `tracks` table (and any other tables the engine holds). */
  sql(query: string): Promise<QueryResult>;
  /** Runs a statement that changes tables and returns nothing. */
  execute(statement: string): Promise<void>;
  /** Returns the column names of `tracks`. */
  columns(): Promise<string[]>;
  /** Returns the number of rows of `tracks`. */
  count(): Promise<number>;
  /**
   * Reads feature columns into the ML dataset contract. `error` rejects null
   * and NaN naming the column and the first row, `skip` drops such rows
   * (reported as a warning event), `keep` passes NaN through.
   */
  toDataset(features: string[], handleInvalid: HandleInvalid, onEvent?: OnEvent): Promise<Dataset>;
  /** Reads whole columns of `tracks` in table order (the order {@link TrackFrame.retainRows} uses). */
  readColumns(columns: string[]): Promise<Record<string, unknown[]>>;
  /** Keeps the rows whose position (in table order) has `keep[position] === 1`, in their order. */
  retainRows(keep: Uint8Array): Promise<void>;
  /**
   * Creates (or replaces) table `name` with the given track columns of the
   * rows at `positions` (table order) beside new numeric columns, one value per
   * position. The run command uses it to join predictions back to their tracks.
   */
  registerColumns(name: string, positions: Uint32Array, trackColumns: string[], values: Record<string, Float64Array | Int32Array>): Promise<void>;
  /** Keeps the rows where the SQL condition holds; returns how many rows were removed. */
  filter(condition: string): Promise<number>;
  /** Writes the result of `query` (default: the whole table) to a Parquet, CSV or JSON file, atomically. */
  writeQuery(path: string, query?: string): Promise<void>;
  close(): Promise<void>;
}

/** An engine: loads tracks into a {@link TrackFrame}. */
export interface Engine {
  readonly name: string;
  load(options: LoadOptions): Promise<TrackFrame>;
}
