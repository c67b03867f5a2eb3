/**
 * VectorAssembler: merges scalar (and vector) columns into one vector column,
 * with Spark ML's `handleInvalid` rule for null and NaN cells.
 */
import { InputError } from '../../errors.js';
import { nonEmptyString, oneOf, resolveParams, type ParamSpecs } from '../param.js';
import { saveStage } from '../persistence.js';
import { newUid, overridesFor, type ParamMap, type StageDocument, type Transformer } from '../stage.js';
import type { Column, Table, VectorColumn } from '../table.js';

/** Rule for rows with a null or NaN input: fail, drop the row, or keep NaN in the vector. */
export type HandleInvalid = 'error' | 'skip' | 'keep';

/** Params of {@link VectorAssembler}. */
export interface VectorAssemblerParams {
  /** Input columns, in vector order (required). */
  inputCols: string[];
  /** Output vector column; default `features`. */
  outputCol: string;
  /** `error` (default) fails on a null or NaN cell, `skip` drops the row, `keep` puts NaN in the vector. */
  handleInvalid: HandleInvalid;
}

const specs: ParamSpecs<VectorAssemblerParams> = {
  inputCols: {
    doc: 'input columns, in vector order',
    validate: (value) => (Array.isArray(value) && value.length > 0 && value.every((name) => typeof name === 'string' && name !== '') ? undefined : 'inputCols must be a non-empty list of column names'),
  },
  outputCol: { doc: 'output vector column', default: 'features', validate: nonEmptyString('outputCol') },
  handleInvalid: { doc: 'rule for null and NaN cells', default: 'error', validate: oneOf(['error', 'skip', 'keep'], 'handleInvalid') },
};

/** The result of {@link VectorAssembler.assemble}: the new table and how many rows `skip` dropped. */
export interface AssembleResult {
  table: Table;
  skippedRows: number;
}

/** Spark ML's VectorAssembler (a Transformer). */
export class VectorAssembler implements Transformer {
  readonly className = 'VectorAssembler';
  readonly uid: string;
  readonly params: Readonly<VectorAssemblerParams>;

  /** Creates an assembler; params are validated here. */
  constructor(params: Partial<VectorAssemblerParams>, uid?: string) {
    this.params = resolveParams('VectorAssembler', specs, params);
    this.uid = uid ?? newUid(this.className);
  }

  /** Returns the table with the output vector column added (rows with invalid cells dropped under `skip`). */
  transform(table: Table): Table {
    return this.assemble(table).table;
  }

  /** Assembles the output column and counts the rows that `skip` dropped. */
  assemble(table: Table): AssembleResult {
    const { inputCols, outputCol, handleInvalid } = this.params;
    const inputs = inputCols.map((name) => table.column(name));
    const widths = inputs.map((column, j) => inputWidth(column, inputCols[j], table.numRows));
    const size = widths.reduce((sum, width) => sum + width, 0);
    const n = table.numRows;

    // Mark rows with a null or NaN cell; `error` stops at the first one.
    const invalid = new Uint8Array(n);
    let invalidRows = 0;
    if (handleInvalid !== 'keep') {
      for (let j = 0; j < inputs.length; j++) {
        const found = markInvalid(inputs[j], widths[j], n, invalid);
        if (found.count > 0 && handleInvalid === 'error') {
          const row = found.firstRow;
          throw new InputError(
            `column "${inputCols[j]}" contains ${found.count} null or NaN value${found.count === 1 ? '' : 's'}, the first at row ${row} (row key "${table.rowKeys[row]}"); set handleInvalid to "skip" or "keep", or fix the input`,
          );
        }
      }
      for (let i = 0; i < n; i++) invalidRows += invalid[i];
    }

    // Copy the kept rows into one row-major array; nulls become NaN.
    const keptRows = n - invalidRows;
    const values = new Float64Array(keptRows * size);
    const kept = new Int32Array(keptRows);
    let row = 0;
    for (let i = 0; i < n; i++) {
      if (invalid[i]) continue;
      kept[row] = i;
      let offset = row * size;
      for (let j = 0; j < inputs.length; j++) offset = copyCell(inputs[j], widths[j], i, values, offset);
      row += 1;
    }

    const slotNames = inputCols.flatMap((name, j) => {
      const column = inputs[j];
      if (column.type !== 'vector') return [name];
      return column.slotNames ?? Array.from({ length: widths[j] }, (_, slot) => `${name}_${slot}`);
    });
    const output: VectorColumn = { type: 'vector', size, values, slotNames };
    const base = invalidRows > 0 ? table.selectRows(kept) : table;
    return { table: base.withColumn(outputCol, output), skippedRows: invalidRows };
  }

  copy(extra?: ParamMap): VectorAssembler {
    return new VectorAssembler({ ...this.params, ...overridesFor(this.uid, extra) }, this.uid);
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: { ...this.params } };
  }

  /** Restores an assembler from its JSON form. */
  static fromDocument(document: StageDocument): VectorAssembler {
    return new VectorAssembler(document.params as Partial<VectorAssemblerParams>, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

function inputWidth(column: Column, name: string, n: number): number {
  if (column.type !== 'vector') return 1;
  if (column.size === 0 && n > 0) throw new InputError(`invalid column "${name}": vectors of size 0 (give vectors of at least one value)`);
  return column.size;
}

function markInvalid(column: Column, width: number, n: number, invalid: Uint8Array): { count: number; firstRow: number } {
  let count = 0;
  let firstRow = -1;
  if (column.type === 'int') return { count, firstRow };
  for (let i = 0; i < n; i++) {
    let bad = false;
    if (column.type === 'double') {
      bad = column.nulls?.[i] === 1 || Number.isNaN(column.values[i]);
    } else {
      for (let slot = 0; slot < width; slot++) if (Number.isNaN(column.values[i * width + slot])) bad = true;
    }
    if (!bad) continue;
    invalid[i] = 1;
    if (count === 0) firstRow = i;
    count += 1;
  }
  return { count, firstRow };
}

function copyCell(column: Column, width: number, row: number, target: Float64Array, offset: number): number {
  if (column.type === 'vector') {
    target.set(column.values.subarray(row * width, row * width + width), offset);
    return offset + width;
  }
  target[offset] = column.type === 'double' && column.nulls?.[row] === 1 ? Number.NaN : column.values[row];
  return offset + 1;
}
