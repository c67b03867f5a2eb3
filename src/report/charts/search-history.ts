/** Charts of the k search: silhouette per trial in order, and per k tried. */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportTrial } from '../report-data.js';

const PHASE_COLORS: Record<string, string> = { random: '#9e9e9e', tpe: '#e45756', given: '#4c78a8' };

/** Builds the chart of the mean silhouette of each trial, in the order the search ran them. */
export function trialHistorySpec(trials: ReportTrial[], bestK: number): TopLevelSpec {
  const values = trials
    .filter((trial) => trial.status === 'ok')
    .map((trial) => ({ trial: trial.tid, k: trial.k, silhouette: trial.silhouette, phase: trial.phase, best: trial.k === bestK }));
  // Only the phases that occur get a legend entry.
  const phases = Object.keys(PHASE_COLORS).filter((phase) => values.some((value) => value.phase === phase));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Mean 3-fold silhouette of each trial',
    width: 560,
    height: 240,
    data: { values },
    layer: [
      { mark: { type: 'line', color: '#bbbbbb' }, encoding: { x: { field: 'trial', type: 'quantitative' }, y: { field: 'silhouette', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'trial', type: 'quantitative', title: 'trial (tid)', axis: { tickMinStep: 1 }, scale: { padding: 16, nice: false } },
          y: { field: 'silhouette', type: 'quantitative', title: 'mean silhouette', scale: { zero: false } },
          color: { field: 'phase', type: 'nominal', title: 'chosen by', scale: { domain: phases, range: phases.map((phase) => PHASE_COLORS[phase]) } },
        },
      },
      {
        mark: { type: 'text', dy: -12, fontSize: 11 },
        encoding: {
          x: { field: 'trial', type: 'quantitative' },
          y: { field: 'silhouette', type: 'quantitative' },
          text: { field: 'k', type: 'quantitative', format: 'd' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Builds the chart of the mean silhouette per k tried, with ±1 standard deviation over folds. */
export function silhouetteByKSpec(trials: ReportTrial[], bestK: number): TopLevelSpec {
  const values = trials
    .filter((trial) => trial.status === 'ok' && trial.silhouette !== undefined)
    .map((trial) => ({
      k: trial.k,
      silhouette: trial.silhouette,
      low: trial.silhouette! - (trial.silhouetteStd ?? 0),
      high: trial.silhouette! + (trial.silhouetteStd ?? 0),
      best: trial.k === bestK ? 'best k' : 'other',
    }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Silhouette per k tried (bars: ±1 std over folds)',
    width: 560,
    height: 240,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888888' }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'k', type: 'quantitative', title: 'k', axis: { tickMinStep: 1 }, scale: { zero: false, nice: false, padding: 12 } },
          y: { field: 'silhouette', type: 'quantitative', title: 'mean silhouette', scale: { zero: false } },
          color: { field: 'best', type: 'nominal', title: null, scale: { domain: ['best k', 'other'], range: ['#e45756', '#4c78a8'] } },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Builds the elbow chart: KMeans training cost per k tried. */
export function elbowSpec(trials: ReportTrial[]): TopLevelSpec {
  const byK = new Map<number, number>();
  for (const trial of trials) if (trial.status === 'ok' && trial.trainingCost !== undefined) byK.set(trial.k, trial.trainingCost);
  const values = [...byK.entries()].sort((a, b) => a[0] - b[0]).map(([k, cost]) => ({ k, cost }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Elbow: KMeans training cost (sum of squared distances, mean over folds) per k tried',
    width: 560,
    height: 240,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 70 } },
    encoding: {
      x: { field: 'k', type: 'quantitative', title: 'k', axis: { tickMinStep: 1 }, scale: { zero: false, nice: false, padding: 12 } },
      y: { field: 'cost', type: 'quantitative', title: 'training cost', scale: { zero: false } },
    },
  } as TopLevelSpec;
}
