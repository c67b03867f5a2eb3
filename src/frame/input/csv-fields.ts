/**
 * Counts the fields of one record of CSV text, with quoted fields (`""` for a
 * quote inside) and any line ending. Used only to explain an invalid value:
 * a record with more fields than its header has shifted values.
 */

/** Returns the number of fields of record `record` (0 is the header), or undefined when the text has fewer records. */
export function fieldCountOfRecord(text: string, delimiter: string, record: number): number | undefined {
  let current = 0;
  let fields = 1;
  let quoted = false;
  // False right after a line ending, so a final line ending starts no empty record.
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    started = true;
    if (quoted) {
      if (char !== '"') continue;
      if (text[i + 1] === '"') i++;
      else quoted = false;
      continue;
    }
    if (char === '"') {
      quoted = true;
    } else if (char === delimiter) {
      fields++;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (current === record) return fields;
      current++;
      fields = 1;
      started = false;
    }
  }
  return current === record && started ? fields : undefined;
}
