/** Entry of dist/bundle/chart-engine.cjs: Vega and the Vega-Lite compiler in one CommonJS file (see chart-engine.ts). */
export * as vega from 'vega';
export { compile } from 'vega-lite';
