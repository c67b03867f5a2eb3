/**
 * The one place that defines where the shared real datasets are: `../shared/data`
 * beside the repository, or `$GROOVIEST_SHARED_DATA` when set.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository (tests run from dist/test/support). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** Directory holding the shared datasets. */
export const sharedDataDir = process.env.GROOVIEST_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

/** Returns the path of a shared dataset file, failing clearly when it is missing. */
export function sharedData(name: string): string {
  const path = join(sharedDataDir, name);
  if (!existsSync(path)) {
    throw new Error(`shared dataset not found: ${path} (set GROOVIEST_SHARED_DATA to the folder that holds it)`);
  }
  return path;
}

/** The 36-artist discographies file (Windows-1252 spotifyr CSV, 10,130 rows). */
export const DISCOGRAPHIES = 'discographies-36-artists.csv';
/** The TidyTuesday 2020-01-21 songs file (gzip CSV, 32,833 rows). */
export const TIDYTUESDAY = 'tidytuesday-spotify-songs-2020-01-21.csv.gz';
/** The folder of 149 genre-search CSV files (77,566 rows). */
export const GENRE_SEARCH = 'genre-search-2024-11';
