/** Charts of the final clustering: sizes, per-track silhouettes, PCA view and centroid profiles. */
import type { TopLevelSpec } from 'vega-lite';
import type { ClusterSummary, ProjectedPoint } from '../report-data.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function clusterColor(count: number) {
  return { type: 'nominal' as const, title: 'cluster', scale: { scheme: count <= 10 ? 'tableau10' : 'tableau20' } };
}

/** Builds the bar chart of tracks per cluster. */
export function clusterSizesSpec(clusters: ClusterSummary[]): TopLevelSpec {
  const values = clusters.map((cluster) => ({ cluster: String(cluster.cluster), size: cluster.size, label: cluster.label }));
  return {
    $schema: SCHEMA,
    title: 'Tracks per cluster',
    width: 560,
    data: { values },
    encoding: {
      y: { field: 'cluster', type: 'nominal', sort: null, title: 'cluster' },
      x: { field: 'size', type: 'quantitative', title: 'tracks' },
    },
    layer: [
      { mark: 'bar', encoding: { color: { field: 'cluster', ...clusterColor(clusters.length), legend: null } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
    height: { step: 22 },
  } as TopLevelSpec;
}

/** Builds the silhouette plot: each track's silhouette, sorted within its cluster. */
export function silhouettePlotSpec(points: { cluster: number; silhouette: number }[], mean: number, clusterCount: number): TopLevelSpec {
  const sorted = [...points].sort((a, b) => a.cluster - b.cluster || b.silhouette - a.silhouette);
  const values = sorted.map((point, position) => ({ position, cluster: String(point.cluster), silhouette: point.silhouette, zero: 0 }));
  // One label per cluster, at the middle of its band.
  const bands = new Map<string, { first: number; last: number }>();
  for (const value of values) {
    const band = bands.get(value.cluster);
    if (band) band.last = value.position;
    else bands.set(value.cluster, { first: value.position, last: value.position });
  }
  const labels = [...bands.entries()].map(([cluster, band]) => ({ cluster, middle: (band.first + band.last) / 2, x: -0.98 }));
  const height = Math.min(600, Math.max(240, clusterCount * 40));
  return {
    $schema: SCHEMA,
    title: 'Silhouette of each track, by cluster (dashed: overall mean)',
    width: 560,
    height,
    data: { values: thinSteps(values, height) },
    layer: [
      {
        // One filled area per cluster instead of one rule per track keeps the SVG small.
        mark: { type: 'area', orient: 'horizontal', interpolate: 'step' },
        encoding: {
          // Padding keeps the first and last bands off the plot's edges.
          y: { field: 'position', type: 'quantitative', axis: null, title: null, scale: { nice: false, reverse: true, padding: 6 } },
          x: { field: 'zero', type: 'quantitative', title: 'silhouette', scale: { domain: [-1, 1] } },
          x2: { field: 'silhouette' },
          color: { field: 'cluster', ...clusterColor(clusterCount) },
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', fontSize: 11, fontWeight: 'bold' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'middle', type: 'quantitative' },
          text: { field: 'cluster' },
          color: { field: 'cluster', ...clusterColor(clusterCount), legend: null },
        },
      },
      {
        data: { values: [{ mean }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#333333' },
        encoding: { x: { field: 'mean', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Keeps about two rows per pixel of the plot's height, and the first and
 * last row of every cluster, so the step areas look the same but render
 * faster.
 */
function thinSteps<T extends { position: number; cluster: string }>(values: T[], height: number): T[] {
  const step = Math.max(1, Math.floor(values.length / (2 * height)));
  return values.filter((value, i) => i % step === 0 || values[i - 1]?.cluster !== value.cluster || values[i + 1]?.cluster !== value.cluster);
}

/** Builds the 2-D PCA scatter of the tracks, coloured by cluster; `total` is the count of tracks the points were sampled from. */
export function projectionSpec(points: ProjectedPoint[], explained: [number, number], clusterCount: number, total = points.length): TopLevelSpec {
  const values = points.map((point) => ({ ...point, cluster: String(point.cluster) }));
  const text = 'Tracks on the first two principal components of the scaled features';
  return {
    $schema: SCHEMA,
    // The chart file is also read on its own, so its subtitle names the sample.
    title: points.length < total ? { text, subtitle: `a random sample of ${points.length.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} tracks` } : text,
    width: 560,
    height: 420,
    data: { values },
    // No screen-reader label per point: 2,500 of them are noise to a reader, and they took about 40% of the chart's rendering time.
    mark: { type: 'circle', size: 14, opacity: 0.55, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `PC1 (${(explained[0] * 100).toFixed(1)}% of variance)`, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: `PC2 (${(explained[1] * 100).toFixed(1)}% of variance)`, scale: { zero: false } },
      color: { field: 'cluster', ...clusterColor(clusterCount) },
      tooltip: [{ field: 'artist' }, { field: 'name' }, { field: 'cluster' }],
    },
  } as TopLevelSpec;
}

/** Builds the heatmap of standardised centroids: one row per cluster, one column per feature. */
export function clusterProfileSpec(clusters: ClusterSummary[], features: string[]): TopLevelSpec {
  const values = clusters.flatMap((cluster) =>
    features.map((feature, j) => ({ cluster: `${cluster.cluster}: ${cluster.label}`, feature, value: cluster.centroid[j] })),
  );
  // A fixed scale of ±2 standard deviations keeps colours comparable between reports; larger values clamp.
  const extent = 2;
  return {
    $schema: SCHEMA,
    title: 'Cluster profiles: centroid of each cluster in standard deviations from the mean',
    data: { values },
    encoding: {
      x: { field: 'feature', type: 'nominal', sort: features, title: null, axis: { labelAngle: -35 } },
      y: { field: 'cluster', type: 'nominal', sort: null, title: null, axis: { labelLimit: 460 } },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'value', type: 'quantitative', title: 'std from mean', scale: { scheme: 'blueorange', domain: [-extent, extent], clamp: true } },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: '.1f' },
          color: { condition: { test: `abs(datum.value) > ${extent * 0.6}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    width: { step: 56 },
    height: { step: 26 },
  } as TopLevelSpec;
}
