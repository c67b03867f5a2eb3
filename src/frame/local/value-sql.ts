/**
 * DuckDB SQL expressions that turn source cells (read as text) into canonical
 * values, one per {@link ValueParser}. Numeric parsers never guess: a cell
 * that is not empty, `NA` or `null` and still fails to parse is invalid, and
 * the loader reports it with its file, row and column.
 */
import type { ColumnSource, ValueParser } from '../layouts.js';
import { NOTE_PITCH_CLASSES } from '../layouts.js';

/** Quotes an identifier for DuckDB. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for DuckDB. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Returns the SQL for the cleaned text of a cell: trimmed, with empty, `NA` and `null` cells as SQL NULL. */
export function cellText(source: string): string {
  return `NULLIF(NULLIF(NULLIF(trim(CAST(${quoteIdentifier(source)} AS VARCHAR)), ''), 'NA'), 'null')`;
}

/** Prefix of the columns with each source column's cleaned text (see {@link cleanedTextColumn}). */
const CLEANED_PREFIX = '__grooviest_text__';

/**
 * Returns the name of the column with the cleaned text ({@link cellText})
 * of `source`. The loader computes it once per cell in a table, because every
 * parse expression reads it several times.
 */
export function cleanedTextColumn(source: string): string {
  return quoteIdentifier(CLEANED_PREFIX + source);
}

function integerFrom(text: string): string {
  // Integers may arrive as "4.0" (pandas writes floats for columns with gaps).
  const number = `TRY_CAST(${text} AS DOUBLE)`;
  return `CASE WHEN ${number} = round(${number}) AND abs(${number}) < 2147483648 THEN CAST(${number} AS INTEGER) END`;
}

function noteCase(text: string): string {
  const branches = Object.entries(NOTE_PITCH_CLASSES)
    .map(([note, pitch]) => `WHEN ${quoteLiteral(note)} THEN ${pitch}`)
    .join(' ');
  return `CASE upper(${text}) ${branches} ELSE ${integerFrom(text)} END`;
}

/** Returns the SQL expression parsing one source column with `parser`, from the column's cleaned text (by default computed in place). */
export function parseExpression(source: string, parser: ValueParser, text = cellText(source)): string {
  switch (parser) {
    case 'text':
      return text;
    case 'spotify-id':
      return (
        `CASE WHEN ${text} LIKE 'spotify:%' THEN regexp_extract(${text}, '[^:]+$') ` +
        `WHEN ${text} LIKE '%open.spotify.com/%' THEN regexp_extract(${text}, 'open\\.spotify\\.com/[a-z]+/([A-Za-z0-9]+)', 1) ` +
        `ELSE ${text} END`
      );
    case 'first-of-list':
      return (
        `CASE WHEN ${text} LIKE '[%' THEN coalesce(` +
        `NULLIF(regexp_extract(${text}, '^\\[\\s*''([^'']*)''', 1), ''), ` +
        `NULLIF(regexp_extract(${text}, '^\\[\\s*"([^"]*)"', 1), '')) ` +
        `WHEN ${text} LIKE '%;%' THEN trim(split_part(${text}, ';', 1)) ` +
        `ELSE ${text} END`
      );
    case 'double':
      return `TRY_CAST(${text} AS DOUBLE)`;
    case 'integer':
      return integerFrom(text);
    case 'key':
      return noteCase(text);
    case 'mode':
      return `CASE lower(${text}) WHEN 'major' THEN 1 WHEN 'minor' THEN 0 ELSE ${integerFrom(text)} END`;
  }
}

/** Returns the SQL expression for a canonical column: the first non-null parsed source, from each source's cleaned text. */
export function columnExpression(mapping: ColumnSource, textOf: (source: string) => string = cellText): string {
  const parsed = mapping.sources.map((source) => parseExpression(source, mapping.parser, textOf(source)));
  const value = parsed.length === 1 ? parsed[0] : `coalesce(${parsed.join(', ')})`;
  return `CAST(${value} AS ${mapping.column.type})`;
}

/** True for parsers whose failures are input errors (numbers), false for text. */
export function isNumericParser(parser: ValueParser): boolean {
  return parser === 'double' || parser === 'integer' || parser === 'key' || parser === 'mode';
}
