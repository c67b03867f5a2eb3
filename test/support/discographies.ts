/**
 * Reads the 36-artist discographies file (Windows-1252 spotifyr CSV) into an
 * ML dataset of the nine default feature columns, keyed by track id. Tests
 * use it for real data without depending on the frame stage.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FEATURE_COLUMNS } from '../../src/contracts/track-table.js';
import type { Dataset } from '../../src/contracts/dataset.js';
import { DISCOGRAPHIES, sharedData } from './shared-data.js';

/** Parses CSV text with double-quoted fields (RFC 4180) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

let cached: Dataset | undefined;

/** Returns the discographies file as a dataset of the nine default feature columns, in file order. */
export function discographiesDataset(): Dataset {
  if (cached) return cached;
  const text = new TextDecoder('windows-1252').decode(readFileSync(sharedData(DISCOGRAPHIES)));
  const [header, ...rows] = parseCsv(text);
  const columns = [...DEFAULT_FEATURE_COLUMNS];
  const indices = columns.map((name) => header.indexOf(name));
  const idIndex = header.indexOf('track_uri');
  const X = new Float64Array(rows.length * columns.length);
  rows.forEach((row, i) => indices.forEach((index, j) => (X[i * columns.length + j] = row[index] === '' || row[index] === 'NA' ? Number.NaN : Number(row[index]))));
  cached = { columns, X, rowKeys: rows.map((row) => row[idIndex]) };
  return cached;
}
