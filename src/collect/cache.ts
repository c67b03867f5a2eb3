/**
 * The response cache that makes a collection resumable: every response is
 * stored on disk as it arrives, keyed by its request, so a restarted
 * collection with the same arguments repeats no request.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';

/** A stored response: the HTTP status and the parsed JSON body. */
export interface CachedResponse {
  status: number;
  body: unknown;
}

/** Options of {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** Ignore stored responses (they are still overwritten by new ones); default false. */
  refresh?: boolean;
}

/**
 * Responses on disk, one JSON file per request under `directory`. The key is
 * the service name, method, path and query. Neither keys nor stored bodies
 * contain credentials.
 */
export class ResponseCache {
  readonly directory: string;
  private readonly refresh: boolean;

  constructor(directory: string, options: ResponseCacheOptions = {}) {
    this.directory = directory;
    this.refresh = options.refresh ?? false;
  }

  /** Returns the stored response for `key`, or undefined when there is none (or `refresh` is set). */
  async get(key: string): Promise<CachedResponse | undefined> {
    if (this.refresh) return undefined;
    let text: string;
    try {
      text = await readFile(this.pathFor(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }

    // Files are written atomically, so a file that does not parse or contains
    // another key (a hash collision) is treated as absent, never trusted.
    try {
      const entry = JSON.parse(text) as { key?: unknown; status?: unknown; body?: unknown };
      if (entry.key !== key || typeof entry.status !== 'number') return undefined;
      return { status: entry.status, body: entry.body };
    } catch {
      return undefined;
    }
  }

  /** Stores a response for `key`, atomically. */
  async put(key: string, response: CachedResponse): Promise<void> {
    const entry = { key, status: response.status, body: response.body };
    await writeFileAtomic(this.pathFor(key), JSON.stringify(entry));
  }

  private pathFor(key: string): string {
    const hash = createHash('sha256').update(key).digest('hex');
    return join(this.directory, hash.slice(0, 2), `${hash}.json`);
  }
}
