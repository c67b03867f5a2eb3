/**
 * Loads Vega and the Vega-Lite compiler for the report's charts.
 *
 * `npm run build` bundles both into one CommonJS file,
 * dist/bundle/chart-engine.cjs. It is compiled here with a V8 code cache
 * kept in the user cache folder, as Python keeps compiled modules in
 * __pycache__. The cache is written after the first report has rendered, so it
 * contains the functions rendering needs, and later runs skip most of their
 * compilation: loading went from 51 to 25 ms and rendering a report's charts
 * from 256 to about 215 ms on 2 cores. V8 checks that a cache fits the file
 * and the Node version, and recompiles when it does not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type * as Vega from 'vega';
import type { compile as compileVegaLite } from 'vega-lite';
import { writeFileAtomic } from '../files/atomic-write.js';
import { packageRoot } from '../package-files.js';
import { cacheDir } from '../paths.js';

/** Vega's runtime and the Vega-Lite compiler. */
export interface ChartEngine {
  vega: typeof Vega;
  compile: typeof compileVegaLite;
}

/** Source of the engine's compiled code: the code cache, a compilation without one, or the unbundled packages. */
export type CodeCacheUse = 'used' | 'missing' | 'rejected' | 'unbundled';

let engine: Promise<ChartEngine> | undefined;
let codeCache: CodeCacheUse = 'unbundled';
/** The compiled script and where its cache goes, until the cache is written. */
let unsaved: { script: vm.Script; path: string } | undefined;

/** Returns the chart engine, loading it on first use. */
export function chartEngine(): Promise<ChartEngine> {
  engine ??= load();
  return engine;
}

/** Returns how this process compiled the chart engine. */
export function chartEngineCodeCache(): CodeCacheUse {
  return codeCache;
}

/**
 * Writes the code cache of the chart engine when it was missing or did not
 * fit. Called after charts were rendered. A cache that cannot be written
 * only costs the next run its compile time.
 */
export async function saveChartEngineCache(): Promise<void> {
  const pending = unsaved;
  unsaved = undefined;
  if (pending === undefined) return;
  try {
    await writeFileAtomic(pending.path, pending.script.createCachedData());
    // Caches of earlier builds or Node versions no longer fit; only the new one is kept.
    const folder = dirname(pending.path);
    for (const name of readdirSync(folder)) {
      if (name.startsWith('chart-engine-') && name.endsWith('.bin') && join(folder, name) !== pending.path) rmSync(join(folder, name), { force: true });
    }
  } catch {
    // A read-only or full cache folder: the next run compiles without a cache.
  }
}

async function load(): Promise<ChartEngine> {
  const file = join(packageRoot(), 'dist', 'bundle', 'chart-engine.cjs');
  if (!existsSync(file)) {
    // Built with tsc alone (no bundle): the packages load as ES modules.
    const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
    return { vega, compile };
  }

  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256').update(`${process.version} ${process.arch} ${size} ${mtimeMs}`).digest('hex').slice(0, 24);
  const path = join(cacheDir(), 'code-cache', `chart-engine-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(path);
  } catch {
    cachedData = undefined;
  }

  // The same wrapper as Node's own CommonJS loader, so the bundle gets its require, module and exports.
  const source = `(function (exports, require, module) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  if (cachedData === undefined) codeCache = 'missing';
  else codeCache = script.cachedDataRejected ? 'rejected' : 'used';
  if (codeCache !== 'used') unsaved = { script, path };

  const module = { exports: {} as ChartEngine };
  (script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object) => void)(module.exports, createRequire(file), module);
  return module.exports;
}
