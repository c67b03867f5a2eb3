/** Loads the golden files of the tune stage (written by reference/tune/hp_semantics.py). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/shared-data.js';

/** Parses `test/fixtures/tune/<name>`. */
export function tuneFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'tune', name), 'utf8')) as T;
}
