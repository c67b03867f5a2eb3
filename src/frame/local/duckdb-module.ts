/** Loads DuckDB's Node API on first use, so commands that never open a table start without its native library. */
type DuckDBModule = typeof import('@duckdb/node-api');

/** Returns DuckDB's Node API module. */
export async function loadDuckDB(): Promise<DuckDBModule> {
  const module = await import('@duckdb/node-api');
  // In the bundle the CommonJS package arrives as a default export only; unbundled, Node also names its exports.
  return ((module as { default?: DuckDBModule }).default ?? module) as DuckDBModule;
}
