/**
 * Turns the `--input` values into a list of local files: single files, several
 * files, globs, directories (searched recursively) and http(s) URLs.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import type { OnEvent } from '../../contracts/events.js';
import { downloadToCache } from './download.js';

/** File format of an input, from its extension. */
export type InputFormat = 'csv' | 'json' | 'parquet';

/** One local input file. */
export interface InputFile {
  /** Local path to read. */
  path: string;
  /** Name used in messages and as `features_source`: the file name, or the URL for downloads. */
  displayName: string;
  format: InputFormat;
  /** True when the file is gzip-compressed (`.gz`). */
  gzip: boolean;
  /** True when the file was named directly (not found through a glob or a directory). */
  named: boolean;
}

/** Options of {@link resolveInputs}. */
export interface ResolveOptions {
  cacheDir: string;
  refreshDownloads?: boolean;
  onEvent?: OnEvent;
}

const EXTENSIONS: Record<string, InputFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/** Returns the format of a file name, or undefined when its extension is not a table format. */
export function formatOf(name: string): { format: InputFormat; gzip: boolean } | undefined {
  const lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const stem = gzip ? lower.slice(0, -3) : lower;
  const dot = stem.lastIndexOf('.');
  if (dot < 0) return undefined;
  const format = EXTENSIONS[stem.slice(dot)];
  return format ? { format, gzip } : undefined;
}

function isGlob(spec: string): boolean {
  return /[*?[\]{}]/.test(spec);
}

function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      if (glob[i + 1] === '*') {
        pattern += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else pattern += '[^/]*';
    } else if (char === '?') pattern += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      const options = glob.slice(i + 1, end).split(',').map((option) => option.replace(/[.+^$()|\\]/g, '\\$&'));
      pattern += `(?:${options.join('|')})`;
      i = end;
    } else if (char === '[') {
      const end = glob.indexOf(']', i);
      pattern += glob.slice(i, end + 1);
      i = end;
    } else pattern += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Returns the fixed directory part of a glob: every segment before the first one with a wildcard. */
function globBase(glob: string): string {
  const segments = glob.split('/');
  const fixed: string[] = [];
  for (const segment of segments) {
    if (isGlob(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/') || '.';
}

function tableFile(path: string, named: boolean, displayName = basename(path)): InputFile {
  const kind = formatOf(path);
  if (!kind) {
    throw new InputError(
      `unsupported input file: ${path} (expected .csv, .tsv, .json, .ndjson or .parquet, optionally .gz)`,
    );
  }
  return { path, displayName, format: kind.format, gzip: kind.gzip, named };
}

/** Expands every `--input` value into local files, downloading URLs into the cache. */
export async function resolveInputs(specs: string[], options: ResolveOptions): Promise<InputFile[]> {
  if (specs.length === 0) throw new InputError('missing input: pass --input FILE (a file, glob, directory or URL)');
  const files: InputFile[] = [];

  for (const spec of specs) {
    if (/^https?:\/\//i.test(spec)) {
      const local = await downloadToCache(spec, { cacheDir: options.cacheDir, refresh: options.refreshDownloads, onEvent: options.onEvent });
      const kind = formatOf(new URL(spec).pathname) ?? formatOf(local);
      if (!kind) throw new InputError(`unsupported input URL: ${spec} (its path must end in .csv, .json, .ndjson or .parquet, optionally .gz)`);
      files.push({ path: local, displayName: spec, format: kind.format, gzip: kind.gzip, named: true });
      continue;
    }

    if (isGlob(spec)) {
      const absolute = resolve(spec);
      const base = globBase(absolute);
      const matcher = globToRegExp(absolute);
      const matches = existsSync(base) ? (await walk(base)).filter((path) => matcher.test(path)) : [];
      const tables = matches.filter((path) => formatOf(path) !== undefined);
      if (tables.length === 0) {
        throw new InputError(`no input files match ${spec} (check the pattern; quote it so the shell does not expand it)`);
      }
      files.push(...tables.map((path) => tableFile(path, false)));
      continue;
    }

    if (!existsSync(spec)) throw new InputError(`input not found: ${spec} (check the path)`);
    const stats = statSync(spec);
    if (stats.isDirectory()) {
      const tables = (await walk(spec)).filter((path) => formatOf(path) !== undefined);
      if (tables.length === 0) throw new InputError(`no CSV, JSON or Parquet files in directory ${spec}`);
      files.push(...tables.map((path) => tableFile(resolve(path), false)));
      continue;
    }
    files.push(tableFile(resolve(spec), true));
  }

  return files;
}
