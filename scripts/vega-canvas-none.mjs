// Stands in for vega-canvas in dist/bundle/chart-engine.cjs. grooviest renders
// SVG strings; without the optional `canvas` package, Vega estimates text
// widths whether or not this stub is used. The real module loads `canvas`
// with a top-level await, which a CommonJS file cannot contain.
export function canvas() {
  return null;
}

export function image() {
  return null;
}
