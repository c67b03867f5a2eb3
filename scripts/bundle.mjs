// Bundles the compiled CLI (dist/src/cli/bin.js) and its JavaScript
// dependencies into dist/bundle, the executable `grooviest` runs. Loading a
// few files instead of several hundred modules saves about 0.2 s at every
// start on a 2-core machine. DuckDB's JavaScript API gets its own chunk,
// loaded only when used, and Vega with Vega-Lite their own file. Native code stays outside: DuckDB's
// binding and better-sqlite3, which finds its binary from its own folder. The
// kernels' WebAssembly and thread module are read from dist/src (see
// src/package-files.ts).
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
  // Vega and Vega-Lite come from chart-engine.cjs below; the packages load only without it.
  external: ['@duckdb/node-bindings', 'better-sqlite3', 'vega', 'vega-lite'],
  // CommonJS dependencies call require(), which an ES module lacks.
  banner: { js: "import { createRequire as __groovRequire } from 'node:module'; const require = __groovRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});

// Vega and Vega-Lite as one CommonJS file, which src/report/chart-engine.ts
// compiles with a V8 code cache (ES modules get none in Node 20).
await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/report/chart-engine-entry.js'],
  outfile: join(outdir, 'chart-engine.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  alias: { 'vega-canvas': './scripts/vega-canvas-none.mjs' },
  legalComments: 'linked',
  logLevel: 'warning',
});
