/**
 * Downloads an input given by URL once into the cache directory and reuses it
 * afterwards. Progress is reported in bytes; the file appears in the cache only
 * when complete (written to a temporary file, then renamed).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OnEvent } from '../../contracts/events.js';
import { InputError, JobError } from '../../errors.js';
import { temporaryPathFor } from '../../files/atomic-write.js';

/** Options of {@link downloadToCache}. */
export interface DownloadOptions {
  /** Directory for downloads; the file goes to `<cacheDir>/downloads/`. */
  cacheDir: string;
  /** Download again even when a cached copy exists. Default false. */
  refresh?: boolean;
  onEvent?: OnEvent;
  /** Milliseconds without progress before the download is abandoned. Default 60000. */
  timeoutMs?: number;
}

/** Returns the cache path of a URL: a hash of the URL keeps names unique, the URL's file name keeps the extension. */
export function cachedPathFor(url: string, cacheDir: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const name = basename(new URL(url).pathname) || 'download';
  return join(cacheDir, 'downloads', `${hash}-${decodeURIComponent(name)}`);
}

/** Returns the URL without user name, password or query string, for messages. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = parsed.search ? '?…' : '';
  return parsed.toString();
}

/** Downloads `url` into the cache (once) and returns the local path. */
export async function downloadToCache(url: string, options: DownloadOptions): Promise<string> {
  const target = cachedPathFor(url, options.cacheDir);
  const shown = redactUrl(url);
  if (!options.refresh && existsSync(target)) {
    options.onEvent?.({ type: 'debug', message: `using cached download of ${shown}: ${target}` });
    return target;
  }
  await mkdir(join(options.cacheDir, 'downloads'), { recursive: true });

  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };

  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (error) {
    clearTimeout(timer);
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new JobError(
      `could not download ${shown} (${cause}); check the network connection, or download the file yourself and pass its local path to --input`,
      { cause: error },
    );
  }
  if (!response.ok || response.body === null) {
    clearTimeout(timer);
    const hint = response.status === 404 ? 'check the URL' : 'try again later, or download the file yourself and pass its local path';
    throw new InputError(`could not download ${shown}: HTTP ${response.status} ${response.statusText}; ${hint}`);
  }

  const total = Number(response.headers.get('content-length') ?? '') || undefined;
  let done = 0;
  const temporary = temporaryPathFor(target);
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    touch();
    done += chunk.length;
    options.onEvent?.({ type: 'progress', task: 'download', done, total, unit: 'bytes', message: shown });
  });
  try {
    await pipeline(body, createWriteStream(temporary));
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    const reason = controller.signal.aborted ? `no data for ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error);
    throw new JobError(`download of ${shown} failed (${reason}); nothing was cached, run the command again to retry`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  // Close a bar whose total was unknown; a known total was reached by the last chunk.
  if (total === undefined) options.onEvent?.({ type: 'progress', task: 'download', done, total: done, unit: 'bytes', message: shown });
  return target;
}
