/**
 * Assembles the self-contained HTML report: inline CSS, charts as inline SVG,
 * covers as data URIs, no scripts and no external requests, so it opens
 * offline and in mail attachments.
 */
import type { ReportData, ReportTable, TopTrack } from './report-data.js';

/** Rendered charts by name, as SVG strings. */
export type ChartSvgs = Record<string, string>;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
  return String(value);
}

function table(data: ReportTable, className = ''): string {
  const numeric = data.columns.map((column) => data.rows.every((row) => row[column] === null || typeof row[column] === 'number'));
  const head = data.columns.map((column, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(column)}</th>`).join('');
  const body = data.rows
    .map((row) => `<tr>${data.columns.map((column, i) => `<td${numeric[i] ? ' class="num"' : ''}>${escapeHtml(formatCell(row[column]))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function figure(svgs: ChartSvgs, name: string, caption?: string): string {
  const svg = svgs[name];
  if (!svg) return '';
  return `<figure id="chart-${name}">${svg}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

function coverGrid(tracks: TopTrack[]): string {
  if (!tracks.some((track) => track.cover)) return '';
  const byArtist = new Map<string, TopTrack[]>();
  for (const track of tracks) byArtist.set(track.artist, [...(byArtist.get(track.artist) ?? []), track]);
  const rows = [...byArtist.entries()].map(([artist, items]) => {
    const tiles = items
      .map((track) => {
        const image = track.cover ? `<img src="${track.cover}" alt="${escapeHtml(track.album ?? track.name)}">` : '<div class="no-cover">no cover</div>';
        return `<div class="tile">${image}<div class="caption">${track.rank}. ${escapeHtml(track.name)}<br><span>${track.value.toFixed(3)}</span></div></div>`;
      })
      .join('');
    return `<div class="cover-row"><div class="cover-artist">${escapeHtml(artist)}</div>${tiles}</div>`;
  });
  return `<div class="covers">${rows.join('\n')}</div>`;
}

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: white; }
h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 20px; margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 6px; }
.meta { color: #666; font-size: 13px; } .headline { display: flex; gap: 16px; margin: 18px 0; flex-wrap: wrap; }
.stat { background: #f1f5fa; border-radius: 6px; padding: 10px 16px; } .stat b { display: block; font-size: 22px; }
table { border-collapse: collapse; font-size: 12px; margin: 10px 0; } th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f4f4f4; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 16px 0; } figcaption, .note { color: #555; font-size: 13px; max-width: 820px; }
.covers { margin: 12px 0; } .cover-row { display: flex; align-items: flex-start; gap: 10px; margin-bottom: 10px; }
.cover-artist { width: 150px; font-weight: bold; font-size: 13px; padding-top: 8px; }
.tile { width: 140px; font-size: 11px; } .tile img, .no-cover { width: 140px; height: 140px; object-fit: cover; border-radius: 4px; }
.no-cover { background: #eee; display: flex; align-items: center; justify-content: center; color: #888; }
.caption span { color: #777; } .scroll { overflow-x: auto; }
`;

/** Returns the report's HTML document. */
export function renderReportHtml(data: ReportData, svgs: ChartSvgs): string {
  const failed = data.trials.filter((trial) => trial.status === 'fail');
  const phases = [...new Set(data.trials.map((trial) => trial.phase))];
  const phaseNote = phases.includes('tpe')
    ? 'Grey points were drawn at random during the TPE start-up phase, red points were proposed by the TPE model.'
    : 'Every trial was drawn at random: with this many evaluations the TPE search never leaves its random start-up phase (Hyperopt starts modelling after 20 trials).';
  const anyReason = data.trials.some((trial) => trial.reason);
  const trialTable: ReportTable = {
    columns: ['trial', 'k', 'status', 'silhouette', 'std', 'training cost', 'chosen by', ...(anyReason ? ['reason'] : [])],
    rows: data.trials.map((trial) => ({
      trial: trial.tid,
      k: trial.k,
      status: trial.status,
      silhouette: trial.silhouette ?? null,
      std: trial.silhouetteStd ?? null,
      'training cost': trial.trainingCost ?? null,
      'chosen by': trial.phase,
      reason: trial.reason ?? '',
    })),
  };
  const clusterTable: ReportTable = {
    columns: ['cluster', 'tracks', 'mean silhouette', 'profile', 'artists with most tracks'],
    rows: data.clusters.map((cluster) => ({
      cluster: cluster.cluster,
      tracks: cluster.size,
      'mean silhouette': cluster.meanSilhouette,
      profile: cluster.label,
      'artists with most tracks': cluster.topArtists.map((entry) => `${entry.artist} (${entry.tracks})`).join(', '),
    })),
  };
  const omitted = data.omittedArtists > 0 ? ` ${data.omittedArtists} more artists are not shown (see <code>--report-artists</code>).` : '';

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(data.title)}</h1>
<div class="meta">${escapeHtml(data.createdAt)}${data.runId ? ` · run ${escapeHtml(data.runId)}` : ''} · input: ${data.inputNames.map(escapeHtml).join(', ')}</div>
<div class="headline">
<div class="stat">best k<b>${data.bestK}</b></div>
<div class="stat">final silhouette<b>${data.finalSilhouette.toFixed(4)}</b></div>
<div class="stat">trials<b>${data.trials.length}${failed.length ? ` (${failed.length} failed)` : ''}</b></div>
<div class="stat">tracks clustered<b>${data.clusters.reduce((sum, cluster) => sum + cluster.size, 0)}</b></div>
</div>

<h2>Data</h2>
${table(data.dataSummary)}

<h2>Most danceable tracks per artist</h2>
<p class="note">${escapeHtml(data.topTracksNote)}${omitted}</p>
${figure(svgs, 'top-tracks')}
${coverGrid(data.topTracks)}

<h2>Search for k</h2>
<p class="note">${escapeHtml(phaseNote)} The score of a trial is the mean silhouette (squared Euclidean distance) over the validation folds; the search maximises it.</p>
${figure(svgs, 'trial-history')}
${figure(svgs, 'silhouette-by-k')}
${figure(svgs, 'elbow', 'Training cost always falls as k grows; a bend in the curve suggests a natural number of clusters.')}
<div class="scroll">${table(trialTable)}</div>

<h2>Clusters (k = ${data.bestK})</h2>
${figure(svgs, 'cluster-sizes')}
${figure(svgs, 'cluster-profile', 'Each cell is the cluster centre of one feature after scaling: 0 is the average track, ±1 one standard deviation.')}
<div class="scroll">${table(clusterTable)}</div>
${figure(svgs, 'silhouette-plot', 'Tracks with a silhouette below 0 are closer to another cluster than to their own.')}
${figure(svgs, 'projection', data.projection.sampled < data.projection.total ? `A random sample of ${data.projection.sampled} of ${data.projection.total} tracks.` : undefined)}

<h2>Average audio features per artist</h2>
<p class="note">Duration in minutes; artists with the most tracks first.${omitted}</p>
<div class="scroll">${table(data.averages)}</div>

<h2>Settings</h2>
${table({ columns: ['setting', 'value'], rows: data.settings })}
</main></body></html>
`;
}
