/**
 * Prints command results on stdout as an aligned table (like Spark's
 * `DataFrame.show()`), CSV or JSON (an array of row objects).
 */
import { InputError } from '../errors.js';

/** Output format of a command's result. */
export type OutputFormat = 'table' | 'csv' | 'json';

/** A tabular result: column names and rows of plain values. */
export interface ResultTable {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Parses the value of `--format`. */
export function parseFormat(value: string): OutputFormat {
  switch (value) {
    case 'table':
    case 'csv':
    case 'json':
      return value;
    default:
      throw new InputError(`invalid --format ${JSON.stringify(value)} (use table, csv or json)`);
  }
}

function formatCell(value: unknown, maxWidth: number): string {
  let text: string;
  if (value === null || value === undefined) text = 'NULL';
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  else if (typeof value === 'bigint') text = value.toString();
  else text = String(value);
  return text.length > maxWidth ? text.slice(0, maxWidth - 3) + '...' : text;
}

/** Renders rows as a Spark-style boxed table; long cells are cut to `maxWidth` characters. */
export function renderTable(table: ResultTable, maxWidth = 40): string {
  const cells = table.rows.map((row) => table.columns.map((column) => formatCell(row[column], maxWidth)));
  const widths = table.columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const border = '+' + widths.map((width) => '-'.repeat(width + 2)).join('+') + '+';
  const line = (values: string[], numeric: boolean[]) =>
    '| ' + values.map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))).join(' | ') + ' |';
  const numericColumns = table.columns.map((column) =>
    table.rows.length > 0 && table.rows.every((row) => row[column] === null || typeof row[column] === 'number' || typeof row[column] === 'bigint'),
  );
  const header = line(table.columns, table.columns.map(() => false));
  const body = cells.map((row) => line(row, numericColumns));
  const rendered = [border, header, border, ...body, border].join('\n');
  return cells.length === 0 ? `${rendered}\n(0 rows)` : rendered;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders rows as RFC 4180 CSV with a header line. */
export function renderCsv(table: ResultTable): string {
  const lines = [table.columns.map(csvField).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((column) => csvField(row[column])).join(','));
  return lines.join('\n');
}

/** Renders rows as a JSON array of row objects; bigint values become numbers when exact, strings otherwise. */
export function renderJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) => {
      if (typeof item === 'bigint') return Number.isSafeInteger(Number(item)) ? Number(item) : item.toString();
      if (typeof item === 'number' && !Number.isFinite(item)) return null;
      return item;
    },
    2,
  );
}

/** Renders a result table in the chosen format. */
export function renderResult(table: ResultTable, format: OutputFormat, maxWidth = 40): string {
  switch (format) {
    case 'table':
      return renderTable(table, maxWidth);
    case 'csv':
      return renderCsv(table);
    case 'json':
      return renderJson(table.rows.map((row) => Object.fromEntries(table.columns.map((column) => [column, row[column] ?? null]))));
  }
}
