/** Small readers for the shared CSV files, independent of the frame stage under test. */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

/** Parses CSV text with double-quoted fields (RFC 4180) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Reads a Windows-1252 file as text. Node's TextDecoder('windows-1252') decodes
 * 0x80–0x9F as Latin-1 control characters, so iconv-lite does it.
 */
export function readWindows1252(path: string): string {
  return iconv.decode(readFileSync(path), 'win1252');
}
