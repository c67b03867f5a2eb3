/** The library version, read once from package.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-files.js';

let cached: string | undefined;

/** Returns grooviest's version from its package.json. */
export function packageVersion(): string {
  if (cached === undefined) {
    cached = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  }
  return cached;
}
