/**
 * Worker thread of {@link ChartWorkers}: loads Vega, renders a warm-up chart
 * of every kind the report uses (so the engine's code is compiled before the
 * real charts arrive), then renders each spec it receives to SVG.
 */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartReply, ChartRequest } from './chart-workers.js';
import type { ReportData } from './report-data.js';
import { renderSvg } from './render-chart.js';
import { reportSpecs } from './write-report.js';

/** A small report with made-up values whose charts cover every mark and transform of a real one. */
function warmUpData(): ReportData {
  const features = ['acousticness', 'danceability', 'energy'];
  const clusters = [0, 1, 2].map((cluster) => ({
    cluster,
    size: 10 + cluster,
    centroid: features.map((_, j) => (cluster - 1) * (j + 1) * 0.3),
    label: `cluster ${cluster}`,
    topArtists: [{ artist: `artist ${cluster}`, tracks: 3 }],
    meanSilhouette: 0.2 + cluster * 0.05,
  }));
  const points = Array.from({ length: 60 }, (_, i) => ({ cluster: i % 3, silhouette: ((i * 37) % 100) / 100 - 0.2 }));
  return {
    title: 'warm-up',
    createdAt: new Date(0).toISOString(),
    inputNames: [],
    dataSummary: { columns: [], rows: [] },
    averages: { columns: [], rows: [] },
    omittedArtists: 0,
    topTracks: Array.from({ length: 6 }, (_, i) => ({ artist: `artist ${i % 2}`, rank: (i % 3) + 1, id: `t${i}`, name: `track ${i}`, album: null, value: 0.5 + i / 20 })),
    topBy: 'danceability',
    topTracksNote: '',
    features,
    trials: Array.from({ length: 6 }, (_, tid) => ({ tid, k: 3 + tid, status: 'ok' as const, silhouette: 0.3 - tid / 50, silhouetteStd: 0.01, trainingCost: 100 - tid, phase: 'random' as const })),
    bestK: 3,
    finalSilhouette: 0.3,
    clusters,
    silhouettes: points,
    projection: {
      points: points.map((point, i) => ({ x: Math.cos(i), y: Math.sin(i * 1.3), cluster: point.cluster, artist: null, name: null })),
      explainedVariance: [0.4, 0.2],
      sampled: points.length,
      total: points.length,
    },
    settings: [],
  };
}

const port = parentPort!;
const warmedUp = (async () => {
  for (const spec of Object.values(reportSpecs(warmUpData()))) await renderSvg(spec).catch(() => undefined);
})();

port.on('message', (request: ChartRequest) => {
  void warmedUp
    .then(() => renderSvg(request.spec as TopLevelSpec))
    .then(
      (svg) => port.postMessage({ id: request.id, svg } satisfies ChartReply),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ChartReply),
    );
});
