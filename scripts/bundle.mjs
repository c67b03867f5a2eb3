// Bundles the compiled CLI (dist/src/cli/bin.js) and its pure-JavaScript
// dependencies into dist/bundle, the executable `grooviest` runs. Loading one
// module graph of a few files instead of hundreds saves about a tenth of a
// second at every start. Vega and Vega-Lite stay in their own chunk, loaded
// only when a report is written. Native modules (DuckDB, SQLite) stay
// external; the kernels' WebAssembly and thread module are read from
// dist/src (see src/package-files.ts).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { grooviest: 'dist/src/cli/bin.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@duckdb/node-api', 'better-sqlite3'],
  // CommonJS dependencies call require(), which an ES module lacks.
  banner: { js: "import { createRequire as __groovRequire } from 'node:module'; const require = __groovRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
