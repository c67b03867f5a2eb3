/**
 * Prepares a text input (CSV or JSON) for DuckDB, whose CSV reader accepts only
 * UTF-8, UTF-16 and Latin-1 offline. It detects the encoding, transcodes
 * Windows-1252 and UTF-16 files (and strips a UTF-8 byte-order mark) into a
 * UTF-8 copy in the cache, and reads the CSV header and emptiness. Inputs are
 * never modified; copies are keyed by content hash and reused.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { InputFile } from './resolve.js';

/** Character encoding detected in a text input. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** An input ready for DuckDB. */
export interface PreparedFile extends InputFile {
  /** Path DuckDB reads: the input itself, or a UTF-8 copy in the cache. */
  readPath: string;
  /** Encoding of the original file (text formats only). */
  encoding?: TextEncoding;
  /** True when the file contains no table at all: no bytes, only whitespace, or only `""`. */
  empty: boolean;
  /** CSV only: the header's column names, in file order. */
  header?: string[];
  /** CSV only: the field delimiter found in the header line. */
  delimiter?: string;
  /** CSV only: true when there is at least one line after the header. */
  hasRows?: boolean;
  /** JSON only: `null` entries dropped from the array (the API returns them for tracks without features). */
  nullEntries?: number;
}

/** Array properties of a JSON object that hold the rows, as the APIs name them. */
const WRAPPER_KEYS = ['audio_features', 'content', 'tracks', 'items', 'data'];

/**
 * Returns the rows of a JSON document when it is an array or an object that
 * wraps one (`{"audio_features": [...]}`), or undefined for NDJSON and other
 * text that is not one JSON value.
 */
function jsonRows(text: string): unknown[] | undefined {
  const first = text.trimStart()[0];
  if (first !== '[' && first !== '{') return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(document)) return document;
  if (document !== null && typeof document === 'object') {
    for (const key of WRAPPER_KEYS) {
      const value = (document as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value;
    }
    return [document];
  }
  return undefined;
}

function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    // Not valid UTF-8: Windows-1252 is what Excel and R write on Windows, and it
    // decodes every byte, so it is the fallback (Latin-1 is a subset of it).
    return 'windows-1252';
  }
}

function decode(bytes: Uint8Array, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf-8':
      return new TextDecoder('utf-8').decode(bytes);
    case 'utf-8-bom':
      return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
    case 'utf-16le':
      return new TextDecoder('utf-16le').decode(bytes);
    case 'utf-16be':
      return new TextDecoder('utf-16be').decode(bytes);
    case 'windows-1252':
      // Node's TextDecoder decodes 'windows-1252' as Latin-1, turning 0x80–0x9F
      // (curly quotes, dashes, œ, …) into control characters; iconv-lite maps them.
      return iconv.decode(Buffer.from(bytes), 'win1252');
  }
}

/** Splits the first CSV record into fields, honouring double quotes. */
export function parseCsvHeader(text: string): { fields: string[]; delimiter: string; end: number } {
  const firstLineEnd = text.search(/\r?\n/);
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  const delimiter = pickDelimiter(firstLine);

  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  for (; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') break;
    else field += char;
  }
  fields.push(field);
  if (text[i] === '\r' && text[i + 1] === '\n') i++;
  return { fields: fields.map((name) => name.trim()), delimiter, end: i + 1 };
}

function pickDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    let count = 0;
    let quoted = false;
    for (const char of line) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Bytes that JavaScript's `trim` removes from text decoded as Windows-1252 (tab to carriage return, space, no-break space). */
function isWindows1252Space(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0;
}

/** Bytes of a Windows-1252 file decoded to find its CSV header when its UTF-8 copy is cached. */
const HEADER_PREFIX_BYTES = 65536;

/**
 * Prepares a Windows-1252 CSV file whose UTF-8 copy is already in the cache
 * without decoding the whole file. One byte is one character in that
 * encoding, so the checks run on the bytes and only the start is decoded for
 * the header. Returns undefined when the copy is missing or the header is
 * longer than the decoded start, and the caller takes the full path.
 */
async function prepareCachedCsv(file: InputFile, bytes: Uint8Array, cacheDir: string): Promise<PreparedFile | undefined> {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
  const readPath = join(cacheDir, 'transcoded', `${hash}.csv`);
  if (!existsSync(readPath) || bytes.includes(0)) return undefined;

  let first = 0;
  let last = bytes.length;
  while (first < last && isWindows1252Space(bytes[first])) first++;
  while (last > first && isWindows1252Space(bytes[last - 1])) last--;
  // Empty, whitespace only or only `""`: the full path reports it.
  if (last - first <= 2) return undefined;

  const prefix = iconv.decode(Buffer.from(bytes.subarray(0, Math.min(bytes.length, HEADER_PREFIX_BYTES))), 'win1252');
  const header = parseCsvHeader(prefix);
  if (header.end >= prefix.length && bytes.length > prefix.length) return undefined;
  let hasRows = false;
  for (let i = header.end; i < bytes.length && !hasRows; i++) hasRows = !isWindows1252Space(bytes[i]);
  return { ...file, readPath, encoding: 'windows-1252', empty: false, header: header.fields, delimiter: header.delimiter, hasRows };
}

/** Reads, checks and (when needed) transcodes one input for DuckDB. */
export async function prepareInput(file: InputFile, cacheDir: string): Promise<PreparedFile> {
  if (file.format === 'parquet') return { ...file, readPath: file.path, empty: false };

  let bytes: Uint8Array;
  try {
    const raw = await readFile(file.path);
    bytes = file.gzip ? gunzipSync(raw) : raw;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot read ${file.path} (${reason}); check that the file exists, is readable and, for .gz files, is valid gzip`, { cause: error });
  }

  const encoding = detectEncoding(bytes);
  if (encoding === 'windows-1252' && file.format === 'csv') {
    const cached = await prepareCachedCsv(file, bytes, cacheDir);
    if (cached) return cached;
  }
  const text = decode(bytes, encoding);
  if (text.includes('\u0000')) {
    throw new InputError(`${file.path} is not a text ${file.format.toUpperCase()} file (it contains NUL bytes); pass a CSV or JSON text file, or a .parquet file`);
  }
  const trimmed = text.trim();
  const empty = trimmed === '' || trimmed === '""';

  if (file.format === 'json' && !empty) {
    const rows = jsonRows(text.replace(/^\uFEFF/, ''));
    if (rows !== undefined) {
      // Rewrite arrays and wrapped arrays as NDJSON without null entries, the
      // one shape DuckDB reads the same way whatever the wrapper was.
      const objects = rows.filter((row) => row !== null && typeof row === 'object' && !Array.isArray(row));
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
      const readPath = join(cacheDir, 'transcoded', `${hash}.ndjson`);
      if (!existsSync(readPath)) await writeFileAtomic(readPath, objects.map((row) => JSON.stringify(row)).join('\n') + '\n');
      return { ...file, readPath, encoding, empty: objects.length === 0, nullEntries: rows.length - objects.length };
    }
  }

  let readPath = file.path;
  if (!empty && encoding !== 'utf-8') {
    // DuckDB reads UTF-8 only (offline); write a UTF-8 copy keyed by content.
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
    const extension = file.format === 'csv' ? 'csv' : 'json';
    readPath = join(cacheDir, 'transcoded', `${hash}.${extension}`);
    if (!existsSync(readPath)) await writeFileAtomic(readPath, text.replace(/^\uFEFF/, ''));
  }

  const prepared: PreparedFile = { ...file, readPath, encoding, empty };
  if (file.format === 'csv' && !empty) {
    const header = parseCsvHeader(text.replace(/^\uFEFF/, ''));
    prepared.header = header.fields;
    prepared.delimiter = header.delimiter;
    prepared.hasRows = text.slice(header.end).trim() !== '';
  }
  return prepared;
}
