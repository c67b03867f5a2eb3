import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const renderChart = fileURLToPath(new URL('../../src/report/render-chart.js', import.meta.url));
const chartEngine = fileURLToPath(new URL('../../src/report/chart-engine.js', import.meta.url));

/** Renders one chart in a fresh process and returns the SVG and how the engine was compiled. */
function renderInChild(cache: string): { svg: string; codeCache: string } {
  const script = join(cache, 'render.mjs');
  writeFileSync(
    script,
    `import { renderSvg } from ${JSON.stringify(renderChart)};
import { chartEngineCodeCache, saveChartEngineCache } from ${JSON.stringify(chartEngine)};
const svg = await renderSvg({ data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 2 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } });
const codeCache = chartEngineCodeCache();
await saveChartEngineCache();
process.stdout.write(JSON.stringify({ svg, codeCache }));
`,
  );
  return JSON.parse(execFileSync(process.execPath, [script], { env: { ...process.env, XDG_CACHE_HOME: cache }, encoding: 'utf8' })) as { svg: string; codeCache: string };
}

test('chart engine: code cache reused', () => {
  const cache = mkdtempSync(join(tmpdir(), 'grooviest-chart-cache-'));
  try {
    const first = renderInChild(cache);
    const second = renderInChild(cache);
    assert.equal(first.codeCache, 'missing');
    assert.equal(readdirSync(join(cache, 'grooviest', 'code-cache')).length, 1);
    assert.equal(second.codeCache, 'used');
    assert.equal(second.svg, first.svg);
    assert.match(first.svg, /^<svg/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('chart engine: corrupt cache recompiled', () => {
  const cache = mkdtempSync(join(tmpdir(), 'grooviest-chart-cache-'));
  try {
    renderInChild(cache);
    const folder = join(cache, 'grooviest', 'code-cache');
    writeFileSync(join(folder, readdirSync(folder)[0]), 'not a code cache');
    writeFileSync(join(folder, 'chart-engine-of-an-old-build.bin'), 'stale');
    const again = renderInChild(cache);
    assert.equal(again.codeCache, 'rejected');
    assert.equal(readdirSync(folder).length, 1, 'caches of other builds are removed');
    assert.match(again.svg, /^<svg/);
    assert.equal(renderInChild(cache).codeCache, 'used');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

