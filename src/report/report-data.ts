/**
 * The data a report is built from. The `run` command fills it from the
 * experiment; `grooviest report RUN_ID` rebuilds it from the run's outputs, so
 * everything here is plain JSON.
 */

/** One row of a small table shown as is. */
export type TableRow = Record<string, string | number | null>;

/** A titled table. */
export interface ReportTable {
  columns: string[];
  rows: TableRow[];
}

/** One of an artist's most danceable tracks, for the closing chart. */
export interface TopTrack {
  artist: string;
  rank: number;
  id: string;
  name: string;
  album: string | null;
  /** Value of the ranking feature (danceability by default). */
  value: number;
  /** Album cover as a data URI, present only when the image could be read. */
  cover?: string;
}

/** One trial of the k search. */
export interface ReportTrial {
  tid: number;
  k: number;
  status: 'ok' | 'fail';
  /** Mean cross-validated silhouette (the negative loss). */
  silhouette?: number;
  silhouetteStd?: number;
  trainingCost?: number;
  reason?: string;
  /** Origin of this k: the random start-up phase, the TPE model, or a given point. */
  phase: 'random' | 'tpe' | 'given';
}

/** Per-cluster summary. */
export interface ClusterSummary {
  cluster: number;
  size: number;
  /** Standardised centroid, one value per feature (in `features` order). */
  centroid: number[];
  /** Plain-words description from the strongest features, e.g. "high energy, low acousticness". */
  label: string;
  /** Artists with the most tracks in the cluster, most first. */
  topArtists: { artist: string; tracks: number }[];
  meanSilhouette: number;
}

/** A point of the 2-D PCA view. */
export interface ProjectedPoint {
  x: number;
  y: number;
  cluster: number;
  artist: string | null;
  name: string | null;
}

/** Everything a report shows. */
export interface ReportData {
  title: string;
  createdAt: string;
  runId?: string;
  inputNames: string[];
  /** Summary of the data as label/value rows. */
  dataSummary: ReportTable;
  averages: ReportTable;
  /** Artists left out of the averages and top-tracks views. */
  omittedArtists: number;
  topTracks: TopTrack[];
  /** Feature the top tracks are ranked by. */
  topBy: string;
  /** Sentence saying how versions and covers were treated. */
  topTracksNote: string;
  features: string[];
  trials: ReportTrial[];
  bestK: number;
  finalSilhouette: number;
  clusters: ClusterSummary[];
  /** Per-track silhouettes by cluster, sampled when there are many tracks. */
  silhouettes: { cluster: number; silhouette: number }[];
  projection: { points: ProjectedPoint[]; explainedVariance: [number, number]; sampled: number; total: number };
  settings: TableRow[];
}
