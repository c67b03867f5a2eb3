/**
 * The experiment `grooviest run` executes, stage by stage: exploration
 * summaries, the k search with one child run per trial, the final fit on all
 * tracks, outputs (model, predictions, trials, summary, report) and their
 * tracking under one parent run.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { datasetRows, type Dataset } from '../contracts/dataset.js';
import type { OnEvent } from '../contracts/events.js';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { assignFolds } from '../ml/tuning/fold-assignment.js';
import { TRACKS_TABLE, type TrackFrame } from '../frame/engine.js';
import { artistAverages, topTracks } from '../frame/explore.js';
import { normaliseTitle } from '../frame/versions.js';
import { loadCovers } from '../report/covers.js';
import type { ReportData, ReportTable, TopTrack } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import type { RunHandle, TrackingClient } from '../tracking/index.js';
import { fitFinalModel, projectSample, sampleRows, summariseClusters } from './final-model.js';
import { runKSearch, trialK, trialPhase } from './k-search.js';
import { settingsAsParams, type RunSettings } from './settings.js';
import { buildSummary, type RunSummary } from './summary.js';

/** Inputs of {@link runExperiment}. */
export interface ExperimentOptions {
  frame: TrackFrame;
  /** The features of the tracks, built and checked before the run was created (see {@link checkKRange}). */
  dataset: Dataset;
  settings: RunSettings;
  client: TrackingClient;
  /** The parent run, started (or reopened for a resume) by the caller. */
  parent: RunHandle;
  /** Folder of this run's outputs. */
  outDir: string;
  /** Milliseconds the load took, for the phase timings. */
  loadMs: number;
  /** Names of the inputs as the user gave them. */
  inputNames: string[];
  cacheDir: string;
  /** Fetch album covers for the report. Default true. */
  covers?: boolean;
  onEvent: OnEvent;
}

/** Returns the SHA-256 of the files read, in order, as hex. */
export async function hashFiles(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * Keeps one track per recording among an artist's ranked tracks, then the top
 * `n`: two tracks are one recording when their normalised titles match, or
 * when their durations are equal to the millisecond (re-releases whose titles
 * differ, such as "Song (feat. X)" and "Song (feat. X) - Featuring X").
 */
export function collapseVersions(rows: Record<string, unknown>[], n: number): Record<string, unknown>[] {
  const seen = new Set<string>();
  const kept = new Map<string, number>();
  const result: Record<string, unknown>[] = [];
  for (const row of rows) {
    const artist = String(row.artist);
    const keys = [`title\u0000${artist}\u0000${normaliseTitle(String(row.name ?? row.id))}`];
    if (typeof row.duration_ms === 'number') keys.push(`duration\u0000${artist}\u0000${row.duration_ms}`);
    if (keys.some((key) => seen.has(key))) continue;
    for (const key of keys) seen.add(key);
    const count = kept.get(artist) ?? 0;
    if (count >= n) continue;
    kept.set(artist, count + 1);
    result.push({ ...row, position: count + 1 });
  }
  return result;
}

function toReportTable(columns: string[], rows: Record<string, unknown>[]): ReportTable {
  return {
    columns,
    rows: rows.map((row) => Object.fromEntries(columns.map((column) => [column, (row[column] ?? null) as string | number | null]))),
  };
}

/**
 * Checks that every k of the search fits the smallest training fold: a fold
 * with fewer rows than k fails its trial, so a range above it would only
 * fail or repeat one result. Raises an InputError naming the largest k that
 * fits.
 */
export function checkKRange(dataset: Dataset, settings: Pick<RunSettings, 'kMin' | 'kMax' | 'folds' | 'seed'>): void {
  const rows = datasetRows(dataset);
  const foldSizes = new Array<number>(settings.folds).fill(0);
  for (const fold of assignFolds(rows, settings.folds, settings.seed)) foldSizes[fold] += 1;
  const emptyFold = foldSizes.findIndex((size) => size === 0);
  if (emptyFold >= 0) {
    throw new InputError(
      `invalid --folds ${settings.folds}: fold ${emptyFold} of the ${rows} tracks gets no validation tracks; use fewer folds (the reference uses 3) or more tracks`,
    );
  }
  const smallestTraining = rows - Math.max(...foldSizes);
  if (settings.kMax <= smallestTraining) return;
  const fix = smallestTraining >= settings.kMin ? `use --k-max ${smallestTraining} or less` : 'pass more tracks or a smaller --k-min and --k-max';
  throw new InputError(
    `invalid --k-max ${settings.kMax}: KMeans needs at least k tracks, and the smallest training fold of the ${settings.folds}-fold cross-validation has ${smallestTraining} of the ${rows}; ${fix}`,
  );
}

/** Runs the experiment and returns its summary (also written to `summary.json`). */
export async function runExperiment(options: ExperimentOptions): Promise<RunSummary> {
  const { frame, settings, client, parent, outDir, onEvent } = options;
  const timings: Record<string, number> = { load: options.loadMs };
  const clock = () => performance.now();

  // Tracking of the settings and the input.
  let started = clock();
  const inputHash = await hashFiles(frame.summary.files.map((file) => file.path));
  const rows = await frame.count();
  await parent.logParams(settingsAsParams(settings));
  await parent.setTags({
    'grooviest.input': options.inputNames.join(' '),
    'grooviest.input_sha256': inputHash,
    'grooviest.input_rows': String(rows),
    'grooviest.node_version': process.version,
    'grooviest.out_dir': outDir,
  });
  timings.tracking = clock() - started;

  // Exploration summaries for the report.
  started = clock();
  const averages = await artistAverages(frame, { limit: settings.reportArtists });
  // Thirty candidates per artist leave three recordings after collapsing versions in all but extreme cases.
  const ranked = await topTracks(frame, { n: 30, artistLimit: settings.reportArtists });
  const top = collapseVersions(ranked.rows, 3);
  const coverUrls = await frame.sql(`SELECT id, album_image_url FROM ${TRACKS_TABLE} WHERE album_image_url IS NOT NULL AND id IN (${top.map((row) => `'${String(row.id).replace(/'/g, "''")}'`).join(', ') || "''"})`);
  const coverById = new Map(coverUrls.rows.map((row) => [String(row.id), String(row.album_image_url)]));
  const covers = options.covers === false ? new Map<string, string>() : await loadCovers([...coverById.values()], { cacheDir: options.cacheDir, onEvent });
  timings.explore = clock() - started;

  // The search.
  started = clock();
  const { dataset } = options;
  const search = await runKSearch({ dataset, settings, client, parent, trialsFile: join(outDir, 'trials.json'), onEvent });
  timings.search = clock() - started;

  // The final model on every track.
  started = clock();
  const final = fitFinalModel(dataset, search.bestK, settings);
  timings.final_fit = clock() - started;

  // Outputs.
  started = clock();
  const modelDir = join(outDir, 'model');
  await final.model.save(modelDir, { overwrite: true });
  // The names and the features are kept, so `grooviest query` and `explore` read the file as a track table with two extra
  // columns. Every track column would triple the file and cost about 20 ms a run.
  const available = new Set(await frame.columns());
  const trackColumns = [...new Set(['id', 'name', 'artist', 'album', ...settings.features])].filter((column) => available.has(column));
  await frame.registerColumns('predictions', dataset.rowPositions!, trackColumns, { cluster: final.predictions, silhouette: final.silhouettes });
  const predictionsPath = join(outDir, 'predictions.parquet');
  await frame.writeQuery(predictionsPath, 'SELECT * FROM predictions');
  timings.outputs = clock() - started;

  // Best k, silhouette, model and data outputs are logged now, so their upload overlaps the report.
  started = clock();
  // Logged without waiting in between, so the server gets them in as few requests as it can.
  const logged: Promise<void>[] = [
    search.delivered,
    parent.logParam('k_value', search.bestK),
    parent.logMetrics({ silhouette: final.silhouette, ...(settings.referenceMetricAlias ? { silouhette: final.silhouette } : {}) }),
    parent.logModel(modelDir, {
      signature: { inputs: settings.features.map((name) => ({ name, type: 'double' })), outputs: [{ name: 'prediction', type: 'integer' }] },
      flavor: { format: 'grooviest.ml.stage', pipeline: 'VectorAssembler,StandardScaler,KMeans', k: search.bestK },
    }),
    parent.logArtifact(predictionsPath),
    parent.logArtifact(join(outDir, 'trials.json')),
  ];
  // Failures surface when the promises are awaited after the report.
  for (const promise of logged) promise.catch(() => undefined);
  timings.tracking += clock() - started;

  // Report.
  started = clock();
  const clusters = summariseClusters(final, settings.features);
  const artistsByCluster = await frame.sql(
    'SELECT cluster, artist, tracks FROM (SELECT cluster, artist, count(*) AS tracks, ' +
      'row_number() OVER (PARTITION BY cluster ORDER BY count(*) DESC, artist) AS position FROM predictions WHERE artist IS NOT NULL GROUP BY cluster, artist) AS ranked ' +
      'WHERE position <= 3 ORDER BY cluster, position',
  );
  const { projection, rows: sampled } = projectSample(final, settings.features.length, 2500, settings.seed);
  const names = await frame.readColumns(['artist', 'name']);
  const positions = dataset.rowPositions!;
  const silhouetteRows = sampleRows(final.predictions.length, 3000, settings.seed + 1);
  const shownTracks: TopTrack[] = top.map((row) => {
    const url = coverById.get(String(row.id));
    return {
      artist: String(row.artist),
      rank: Number(row.position),
      id: String(row.id),
      name: String(row.name ?? row.id),
      album: (row.album as string | null) ?? null,
      value: Number(row.danceability),
      ...(url && covers.has(url) ? { cover: covers.get(url) } : {}),
    };
  });
  const summaryTable = await dataSummary(frame, dataset.X.length / settings.features.length, settings);
  const report: ReportData = {
    title: `Clustering ${options.inputNames.map((name) => name.split('/').pop()).join(', ')} by audio features`,
    createdAt: new Date().toISOString(),
    runId: parent.runId,
    inputNames: options.inputNames,
    dataSummary: summaryTable,
    averages: toReportTable(averages.columns, averages.rows),
    omittedArtists: averages.omittedArtists,
    topTracks: shownTracks,
    topBy: 'danceability',
    topTracksNote:
      `Each artist's three most danceable tracks; versions of one recording (remasters, reissues) are shown once${settings.dedupe ? '' : ' (pass --dedupe versions to collapse them everywhere)'}. ` +
      `${covers.size > 0 ? `Album covers: ${shownTracks.filter((track) => track.cover).length} of ${shownTracks.length} available.` : options.covers === false ? 'Album covers were not requested (--no-covers).' : 'Album covers are not shown: no cover image could be read (offline, or the data has no cover URLs).'}`,
    features: settings.features,
    trials: search.trials.trials.map((trial) => ({
      tid: trial.tid,
      k: trialK(trial),
      status: trial.status === 'ok' ? 'ok' : 'fail',
      silhouette: trial.metrics?.silhouette_mean,
      silhouetteStd: trial.metrics?.silhouette_std,
      trainingCost: trial.metrics?.training_cost,
      reason: trial.reason,
      phase: trialPhase(trial, settings),
    })),
    bestK: search.bestK,
    finalSilhouette: final.silhouette,
    clusters: clusters.map((cluster) => ({
      ...cluster,
      topArtists: artistsByCluster.rows.filter((row) => Number(row.cluster) === cluster.cluster).map((row) => ({ artist: String(row.artist), tracks: Number(row.tracks) })),
    })),
    silhouettes: Array.from(silhouetteRows, (i) => ({ cluster: final.predictions[i], silhouette: final.silhouettes[i] })),
    projection: {
      points: Array.from(sampled, (i) => ({
        x: projection.coordinates[i * 2],
        y: projection.coordinates[i * 2 + 1],
        cluster: final.predictions[i],
        artist: (names.artist[positions[i]] as string | null) ?? null,
        name: (names.name[positions[i]] as string | null) ?? null,
      })),
      explainedVariance: projection.explainedVariance,
      sampled: sampled.length,
      total: final.predictions.length,
    },
    settings: Object.entries(settingsAsParams(settings)).map(([setting, value]) => ({ setting, value })),
  };
  const reportPath = await writeReport(report, outDir);
  timings.report = clock() - started;

  // Final tracking: the summary and the report, then everything logged so far reaches the server.
  started = clock();
  const summary = buildSummary({ settings, search, final, timings, inputNames: options.inputNames, inputHash, rows, rowsUsed: dataset.rowKeys.length, parent, client, outDir, reportPath, predictionsPath, modelDir });
  const summaryPath = join(outDir, 'summary.json');
  await writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  logged.push(parent.logArtifact(summaryPath), parent.logArtifact(reportPath));
  await Promise.all(logged);
  timings.tracking += clock() - started;
  summary.timings_ms = Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms)]));
  await writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

async function dataSummary(frame: TrackFrame, rowsUsed: number, settings: RunSettings): Promise<ReportTable> {
  const counts = await frame.sql(
    `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT artist) AS artists, ` +
      `(SELECT coalesce(sum(c), 0) FROM (SELECT count(*) AS c FROM ${TRACKS_TABLE} GROUP BY id HAVING count(*) > 1) AS repeated) AS shared FROM ${TRACKS_TABLE}`,
  );
  const row = counts.rows[0];
  return {
    columns: ['item', 'value'],
    rows: [
      { item: 'tracks', value: Number(row.n) },
      { item: 'distinct track ids', value: Number(row.ids) },
      { item: 'artists', value: Number(row.artists) },
      { item: 'rows sharing a track id with another row', value: Number(row.shared) },
      { item: 'tracks clustered', value: rowsUsed },
      { item: 'feature columns', value: settings.features.join(', ') },
      { item: 'deduplication', value: settings.dedupe ?? 'none' },
      { item: 'spoken-word tracks dropped', value: settings.dropSpoken ? 'yes' : 'no' },
      { item: 'files', value: frame.summary.files.map((file) => file.name).slice(0, 5).join(', ') + (frame.summary.files.length > 5 ? `, … (${frame.summary.files.length})` : '') },
    ],
  };
}
