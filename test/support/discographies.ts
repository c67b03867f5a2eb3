/**
 * Reads the 36-artist discographies file (Windows-1252 spotifyr CSV) into an
 * ML dataset of the nine default feature columns, keyed by track id. Tests
 * use it for real data without depending on the frame stage.
 */
import { DEFAULT_FEATURE_COLUMNS } from '../../src/contracts/track-table.js';
import type { Dataset } from '../../src/contracts/dataset.js';
import { DISCOGRAPHIES, sharedData } from './shared-data.js';
import { parseCsv, readWindows1252 } from './csv.js';

let cached: Dataset | undefined;

/** Returns the discographies file as a dataset of the nine default feature columns, in file order. */
export function discographiesDataset(): Dataset {
  if (cached) return cached;
  const text = readWindows1252(sharedData(DISCOGRAPHIES));
  const [header, ...rows] = parseCsv(text);
  const columns = [...DEFAULT_FEATURE_COLUMNS];
  const indices = columns.map((name) => header.indexOf(name));
  const idIndex = header.indexOf('track_uri');
  const X = new Float64Array(rows.length * columns.length);
  rows.forEach((row, i) => indices.forEach((index, j) => (X[i * columns.length + j] = row[index] === '' || row[index] === 'NA' ? Number.NaN : Number(row[index]))));
  cached = { columns, X, rowKeys: rows.map((row) => row[idIndex]) };
  return cached;
}
