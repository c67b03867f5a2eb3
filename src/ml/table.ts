/**
 * The in-memory columnar table that ML stages transform.
 *
 * A table has `numRows` rows, one row key per row (the track id, carried
 * through skipped rows so predictions map back to tracks) and named columns.
 * A scalar column is a `Float64Array` (with an optional null mask), a vector
 * column is one row-major `Float64Array` of `numRows × size` values, and an
 * integer column (predictions, fold numbers) is an `Int32Array`. Columns are
 * never copied when a stage adds a column: tables share them.
 */
import type { Dataset } from '../contracts/dataset.js';
import { InputError } from '../errors.js';

/** A column of doubles; `nulls[i] === 1` marks a missing cell (its value is NaN). */
export interface DoubleColumn {
  type: 'double';
  values: Float64Array;
  nulls?: Uint8Array;
}

/** A column of fixed-size vectors stored row-major: row i is `values[i*size .. i*size+size)`. */
export interface VectorColumn {
  type: 'vector';
  size: number;
  values: Float64Array;
  /** Name of each vector slot, such as the assembler's input columns. */
  slotNames?: string[];
}

/** A column of 32-bit integers, such as cluster predictions or fold numbers. */
export interface IntColumn {
  type: 'int';
  values: Int32Array;
}

/** Any column of a {@link Table}. */
export type Column = DoubleColumn | VectorColumn | IntColumn;

/** An immutable set of named columns of equal length. */
export class Table {
  readonly numRows: number;
  readonly rowKeys: string[];
  private readonly columns: ReadonlyMap<string, Column>;

  /** Creates a table; every column must hold `numRows` rows. */
  constructor(numRows: number, rowKeys: string[], columns: Iterable<[string, Column]>) {
    this.numRows = numRows;
    this.rowKeys = rowKeys;
    this.columns = new Map(columns);
    if (rowKeys.length !== numRows) throw new InputError(`invalid row keys: ${rowKeys.length} keys for ${numRows} rows (give one key per row)`);
    for (const [name, column] of this.columns) {
      let rows = column.values.length;
      if (column.type === 'vector') rows = column.size === 0 ? numRows : column.values.length / column.size;
      if (rows !== numRows) throw new InputError(`invalid column "${name}": ${rows} rows in a table of ${numRows} rows (give every column the same length)`);
    }
  }

  /** Names of the columns, in insertion order. */
  get columnNames(): string[] {
    return [...this.columns.keys()];
  }

  /** Returns true when the table has a column of this name. */
  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** Returns a column, failing with the list of columns when it is missing. */
  column(name: string): Column {
    const column = this.columns.get(name);
    if (column === undefined) {
      throw new InputError(`missing column: "${name}" (columns: ${this.columnNames.join(', ') || 'none'})`);
    }
    return column;
  }

  /** Returns a vector column, failing when the column contains another type. */
  vector(name: string): VectorColumn {
    const column = this.column(name);
    if (column.type !== 'vector') throw new InputError(`invalid column "${name}": ${column.type} values where vectors are expected (assemble it with VectorAssembler first)`);
    return column;
  }

  /** Returns an integer column, failing when the column contains another type. */
  ints(name: string): IntColumn {
    const column = this.column(name);
    if (column.type !== 'int') throw new InputError(`invalid column "${name}": ${column.type} values where integers are expected`);
    return column;
  }

  /** Returns a new table with `name` added or replaced; other columns are shared. */
  withColumn(name: string, column: Column): Table {
    const columns = new Map(this.columns);
    columns.set(name, column);
    return new Table(this.numRows, this.rowKeys, columns);
  }

  /** Returns a new table holding the given rows, in the given order. */
  selectRows(rows: ArrayLike<number>): Table {
    const count = rows.length;
    const columns: [string, Column][] = [];
    for (const [name, column] of this.columns) columns.push([name, selectColumnRows(column, rows)]);
    const rowKeys = new Array<string>(count);
    for (let i = 0; i < count; i++) rowKeys[i] = this.rowKeys[rows[i]];
    return new Table(count, rowKeys, columns);
  }
}

function selectColumnRows(column: Column, rows: ArrayLike<number>): Column {
  const count = rows.length;
  switch (column.type) {
    case 'double': {
      const values = new Float64Array(count);
      const nulls = column.nulls ? new Uint8Array(count) : undefined;
      for (let i = 0; i < count; i++) {
        values[i] = column.values[rows[i]];
        if (nulls) nulls[i] = column.nulls![rows[i]];
      }
      return nulls ? { type: 'double', values, nulls } : { type: 'double', values };
    }
    case 'int': {
      const values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = column.values[rows[i]];
      return { type: 'int', values };
    }
    case 'vector': {
      const size = column.size;
      const values = new Float64Array(count * size);
      for (let i = 0; i < count; i++) values.set(column.values.subarray(rows[i] * size, rows[i] * size + size), i * size);
      return { type: 'vector', size, values, slotNames: column.slotNames };
    }
  }
}

/**
 * Builds a table with one double column per dataset column, ready for a
 * VectorAssembler. NaN cells stay NaN (the frame stage has already applied
 * its null rule); row keys are kept.
 */
export function tableFromDataset(dataset: Dataset): Table {
  const d = dataset.columns.length;
  const n = d === 0 ? 0 : dataset.X.length / d;
  if (!Number.isInteger(n)) throw new InputError(`invalid dataset: ${dataset.X.length} values do not fill rows of ${d} columns`);

  // Transpose row-major X into one contiguous array per column.
  const columns: [string, Column][] = dataset.columns.map((name, j) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = dataset.X[i * d + j];
    return [name, { type: 'double', values }];
  });
  return new Table(n, dataset.rowKeys, columns);
}
