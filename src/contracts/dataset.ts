/**
 * The numeric data handed from the frame stage to the ML stage.
 *
 * Built once by reading columns (never row objects, never `bigint`), with the
 * assembler's `handleInvalid` rule applied while building it.
 */
export interface Dataset {
  /** Feature names, in the order of the values in each row of `X`. */
  columns: string[];
  /** n × d values, row-major: row i occupies `X[i*d .. i*d+d)`. */
  X: Float64Array;
  /** Track id of each row of `X`, so predictions map back to tracks after skipped rows. */
  rowKeys: string[];
  /**
   * Position of each row of `X` in the track table, in table order. Ids can
   * repeat (the same track in several playlists), so positions are what maps
   * a prediction back to exactly one row.
   */
  rowPositions?: Uint32Array;
}

/** Returns the number of rows of a dataset. */
export function datasetRows(dataset: Dataset): number {
  const d = dataset.columns.length;
  return d === 0 ? 0 : dataset.X.length / d;
}
