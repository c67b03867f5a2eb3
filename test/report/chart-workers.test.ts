import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { ChartWorkers } from '../../src/report/chart-workers.js';
import { renderSvg } from '../../src/report/render-chart.js';

const spec = {
  data: { values: [{ k: 3, silhouette: 0.3 }, { k: 5, silhouette: 0.25 }] },
  mark: 'bar',
  encoding: { x: { field: 'k', type: 'ordinal' }, y: { field: 'silhouette', type: 'quantitative' } },
} as TopLevelSpec;

test('chart threads render the same SVG as the main thread', async () => {
  const workers = new ChartWorkers(2);
  try {
    const [first, second] = await Promise.all([workers.render(spec), workers.render(spec)]);
    const local = await renderSvg(spec);
    assert.equal(first, local);
    assert.equal(second, local);
  } finally {
    await workers.close();
  }
});

test('a chart thread reports an invalid spec as an error', async () => {
  const workers = new ChartWorkers(1);
  try {
    // Vega-Lite's own message comes back; the thread stays usable.
    await assert.rejects(workers.render({ mark: 'no-such-mark' } as unknown as TopLevelSpec), Error);
    assert.match(await workers.render(spec), /^<svg/);
  } finally {
    await workers.close();
  }
});
