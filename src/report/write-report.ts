/**
 * Renders every chart of a report and writes `report.html` with the charts'
 * Vega-Lite specs and SVGs beside it (in `charts/`), so users can restyle them.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../files/atomic-write.js';
import { clusterProfileSpec, clusterSizesSpec, projectionSpec, silhouettePlotSpec } from './charts/clusters.js';
import { elbowSpec, silhouetteByKSpec, trialHistorySpec } from './charts/search-history.js';
import { topTracksSpec } from './charts/top-tracks.js';
import { renderReportHtml, type ChartSvgs } from './html.js';
import type { ReportData } from './report-data.js';
import { saveChartEngineCache } from './chart-engine.js';
import { renderSvg } from './render-chart.js';

/** Returns the Vega-Lite spec of every chart of the report, by file name. */
export function reportSpecs(data: ReportData): Record<string, TopLevelSpec> {
  const specs: Record<string, TopLevelSpec> = {
    'top-tracks': topTracksSpec(data.topTracks, data.topBy),
    'trial-history': trialHistorySpec(data.trials, data.bestK),
    'silhouette-by-k': silhouetteByKSpec(data.trials, data.bestK),
    elbow: elbowSpec(data.trials),
    'cluster-sizes': clusterSizesSpec(data.clusters),
    'cluster-profile': clusterProfileSpec(data.clusters, data.features),
    'silhouette-plot': silhouettePlotSpec(data.silhouettes, data.finalSilhouette, data.clusters.length),
    projection: projectionSpec(data.projection.points, data.projection.explainedVariance, data.clusters.length, data.projection.total),
  };
  if (data.topTracks.length === 0) delete specs['top-tracks'];
  return specs;
}

/** Writes `report.html`, `report-data.json` and `charts/<name>.vl.json|.svg` into `dir`; returns the report's path. */
export async function writeReport(data: ReportData, dir: string): Promise<string> {
  const specs = Object.entries(reportSpecs(data));
  const rendered = await Promise.all(
    specs.map(([name, spec]) =>
      renderSvg(spec).catch((error: unknown) => {
        throw new Error(`rendering the ${name} chart failed: ${(error as Error).message}`, { cause: error });
      }),
    ),
  );
  // Rendering compiled the functions the charts need, so the code cache written now serves the next run.
  await saveChartEngineCache();
  const svgs: ChartSvgs = {};
  for (const [index, [name, spec]] of specs.entries()) {
    svgs[name] = rendered[index];
    await writeFileAtomic(join(dir, 'charts', `${name}.vl.json`), JSON.stringify(spec, null, 2));
    await writeFileAtomic(join(dir, 'charts', `${name}.svg`), svgs[name]);
  }
  await writeFileAtomic(join(dir, 'report-data.json'), JSON.stringify(data));
  const path = join(dir, 'report.html');
  await writeFileAtomic(path, renderReportHtml(data, svgs));
  return path;
}
