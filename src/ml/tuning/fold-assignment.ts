/**
 * Cross-validation folds as Spark ML's CrossValidator draws them: every row
 * gets a seeded uniform number u in [0, 1) and lands in validation fold i
 * when i/numFolds ≤ u < (i+1)/numFolds, so fold sizes are random rather than
 * balanced. The draw uses grooviest's generator, so the folds repeat for a
 * seed but are not Spark's.
 */
import { InputError } from '../../errors.js';
import { RandomGenerator } from '../../random.js';
import type { Table } from '../table.js';

/** Returns the validation fold (0..numFolds−1) of each of `numRows` rows for `seed`. */
export function assignFolds(numRows: number, numFolds: number, seed: number): Int32Array {
  const random = new RandomGenerator(seed);
  const width = 1 / numFolds;
  const folds = new Int32Array(numRows);
  for (let row = 0; row < numRows; row++) {
    const u = random.nextFloat();
    let fold = Math.min(numFolds - 1, Math.floor(u * numFolds));
    // Match the half-open interval test exactly where u·numFolds rounds across a boundary.
    while (fold > 0 && u < fold * width) fold -= 1;
    while (fold < numFolds - 1 && u >= (fold + 1) * width) fold += 1;
    folds[row] = fold;
  }
  return folds;
}

/** Reads user-given folds from an integer or double column, checking each is in 0..numFolds−1. */
export function readFoldColumn(table: Table, foldCol: string, numFolds: number): Int32Array {
  const column = table.column(foldCol);
  if (column.type === 'vector') throw new InputError(`invalid foldCol "${foldCol}": vectors where fold numbers are expected`);
  const folds = new Int32Array(table.numRows);
  for (let row = 0; row < table.numRows; row++) {
    const value = column.values[row];
    if (!Number.isInteger(value) || value < 0 || value >= numFolds) {
      throw new InputError(`invalid fold ${value} in column "${foldCol}" at row ${row} (fold numbers must be integers in 0..${numFolds - 1})`);
    }
    folds[row] = value;
  }
  return folds;
}

/** Returns the training rows (every other fold) and validation rows of fold `fold`. */
export function splitFold(folds: Int32Array, fold: number): { training: Int32Array; validation: Int32Array } {
  let validationCount = 0;
  for (const value of folds) if (value === fold) validationCount += 1;
  const training = new Int32Array(folds.length - validationCount);
  const validation = new Int32Array(validationCount);
  let t = 0;
  let v = 0;
  for (let row = 0; row < folds.length; row++) {
    if (folds[row] === fold) validation[v++] = row;
    else training[t++] = row;
  }
  return { training, validation };
}
