/** Renders Vega-Lite specs to SVG in Node, with no browser and no canvas. */
import type { TopLevelSpec } from 'vega-lite';
import { chartEngine } from './chart-engine.js';

/** Shared look of every chart: readable fonts, no chart border. */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Compiles a Vega-Lite spec and renders it to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: only reports need Vega.
  const { vega, compile } = await chartEngine();
  const compiled = compile({ config: CHART_CONFIG, ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
