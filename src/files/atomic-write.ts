/** Atomic file writes: write a temporary file beside the target, then rename it into place. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Returns a temporary path in the directory of `target`, so a rename onto `target` is atomic. */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `target` atomically: readers see the old file or the whole
 * new one, never a partial write. Creates the parent directory when missing.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = temporaryPathFor(target);
  try {
    await writeFile(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Runs `write` on a temporary path beside `target` and renames the result into
 * place when it succeeds. It serves files written by other libraries, such as DuckDB's COPY.
 */
export async function withAtomicTarget(target: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = temporaryPathFor(target);
  try {
    await write(temporary);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true, recursive: true });
    throw error;
  }
}
