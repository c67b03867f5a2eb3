/** The library version, read once from package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Returns grooviest's version from its package.json. */
export function packageVersion(): string {
  if (cached === undefined) {
    const url = new URL('../../package.json', import.meta.url);
    cached = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  }
  return cached;
}
