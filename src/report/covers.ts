/**
 * Album covers for the report, embedded as data URIs so the report opens
 * offline. A cover is shown only when its image could be read, from a local
 * file or a reachable URL. Anything else is left out, never shown as a broken
 * image. Downloaded covers are cached.
 */
import { createHash } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnEvent } from '../contracts/events.js';
import { writeFileAtomic } from '../files/atomic-write.js';

/** Options of {@link loadCovers}. */
export interface CoverOptions {
  cacheDir: string;
  /** Milliseconds to wait for one image. Default 4000. */
  timeoutMs?: number;
  /** Images fetched at once. Default 6. */
  concurrency?: number;
  /** Largest image accepted, in bytes. Default 1 MiB. */
  maxBytes?: number;
  onEvent?: OnEvent;
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

function sniffType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return 'image/gif';
  if (bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  return undefined;
}

async function fetchImage(url: string, options: CoverOptions): Promise<Uint8Array | undefined> {
  const cached = join(options.cacheDir, 'covers', createHash('sha256').update(url).digest('hex').slice(0, 32));
  if (existsSync(cached)) return readFile(cached);
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 4000) });
  if (!response.ok) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > (options.maxBytes ?? 1024 * 1024) || sniffType(bytes) === undefined) return undefined;
  await writeFileAtomic(cached, bytes);
  return bytes;
}

/**
 * Returns true when `host` resolves within `timeoutMs`. Uses c-ares, which can
 * be cancelled, because a blocked system lookup on an offline machine would
 * keep the process alive long after the fetch gave up.
 */
async function resolvable(host: string, timeoutMs: number): Promise<boolean> {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (isIP(name) || name === 'localhost') return true;
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  const timer = setTimeout(() => resolver.cancel(), timeoutMs);
  try {
    await Promise.any([resolver.resolve4(name), resolver.resolve6(name)]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Returns a data URI for each location that could be read: an http(s) URL or
 * a local image path. After the first network failure of a host, its other
 * images are skipped, so an offline run does not wait once per cover.
 */
export async function loadCovers(locations: string[], options: CoverOptions): Promise<Map<string, string>> {
  const covers = new Map<string, string>();
  const unreachableHosts = new Set<string>();
  const unique = [...new Set(locations.filter((location) => location !== ''))];
  let failures = 0;

  async function load(location: string): Promise<void> {
    try {
      let bytes: Uint8Array | undefined;
      if (/^https?:\/\//i.test(location)) {
        const host = new URL(location).host;
        if (unreachableHosts.has(host)) return;
        try {
          bytes = await fetchImage(location, options);
        } catch {
          unreachableHosts.add(host);
          failures++;
          return;
        }
      } else if (existsSync(location)) {
        bytes = await readFile(location);
      }
      if (!bytes) return;
      const extension = location.slice(location.lastIndexOf('.')).toLowerCase();
      const type = sniffType(bytes) ?? IMAGE_TYPES[extension];
      if (type) covers.set(location, `data:${type};base64,${Buffer.from(bytes).toString('base64')}`);
    } catch {
      failures++;
    }
  }

  // Probe each host once; an unresolvable host (offline) costs one short DNS query, not one wait per image.
  const hosts = new Set(unique.filter((location) => /^https?:\/\//i.test(location)).map((location) => new URL(location).host));
  for (const host of hosts) if (!(await resolvable(host, options.timeoutMs ?? 4000))) unreachableHosts.add(host);

  const queue = [...unique];
  const workers = Array.from({ length: Math.min(options.concurrency ?? 6, queue.length) }, async () => {
    for (let location = queue.shift(); location !== undefined; location = queue.shift()) await load(location);
  });
  await Promise.all(workers);
  if (unique.length > 0 && covers.size < unique.length) {
    options.onEvent?.({
      type: 'info',
      code: 'covers-missing',
      message: `album covers: ${covers.size} of ${unique.length} images available${unreachableHosts.size > 0 ? ` (unreachable: ${[...unreachableHosts].join(', ')})` : ''}; the others are left out of the report`,
      details: { available: covers.size, requested: unique.length, failures },
    });
  }
  return covers;
}
