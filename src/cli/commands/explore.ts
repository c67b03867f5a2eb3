/** `grooviest explore`: the three exploration queries of the workflow, plus a summary of the data. */
import { Command, Option } from 'commander';
import { countIdDuplicates } from '../../frame/dedupe.js';
import { TRACKS_TABLE, type TrackFrame } from '../../frame/engine.js';
import { artistAverages, artistTracks, busiestArtist, orderableColumn, resolveArtists, topTracks } from '../../frame/explore.js';
import { InputError } from '../../errors.js';
import { addCommonOptions, collect, createContext, type CommonFlags } from '../context.js';
import { addInputOptions, loadFromFlags, type InputFlags } from '../load-tracks.js';
import type { ResultTable } from '../output.js';
import { renderResult } from '../output.js';

interface ExploreFlags extends CommonFlags, InputFlags {
  artist?: string[];
  orderBy: string;
  asc?: boolean;
  limit: string;
  top: string;
  topBy: string;
  view: string;
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InputError(`invalid ${flag} ${JSON.stringify(value)} (use a whole number of at least 1)`);
  return number;
}

/** Builds the summary table of the loaded data. */
async function summaryTable(frame: TrackFrame): Promise<ResultTable> {
  const duplicates = await countIdDuplicates(frame);
  const artists = await frame.sql(`SELECT count(DISTINCT artist) AS n FROM ${TRACKS_TABLE}`);
  const layouts = [...new Set(frame.summary.files.map((file) => file.layout))].join(', ');
  const encodings = [...new Set(frame.summary.files.map((file) => file.encoding ?? 'binary'))].join(', ');
  const rows = [
    { item: 'rows', value: duplicates.rows },
    { item: 'distinct track ids', value: duplicates.distinctIds },
    { item: 'rows sharing a track id', value: duplicates.rowsSharingId },
    { item: 'artists', value: Number(artists.rows[0].n) },
    { item: 'files read', value: frame.summary.files.length },
    { item: 'files skipped (empty)', value: frame.summary.skippedFiles.length },
    { item: 'layouts', value: layouts },
    { item: 'encodings', value: encodings },
  ];
  return { columns: ['item', 'value'], rows };
}

/** Registers `grooviest explore`. */
export function registerExploreCommand(program: Command): void {
  const command = program
    .command('explore')
    .description('Load track files and show the exploration tables: a summary, one artist\'s tracks by a feature, per-artist averages, and each artist\'s top tracks.')
    .option('-a, --artist <name>', 'only this artist (repeatable; names may contain commas); default: the artist with the most tracks for the first table, all artists for the others', collect)
    .option('--order-by <feature>', 'feature that orders the artist\'s tracks', 'acousticness')
    .option('--asc', 'ascending order (default descending)')
    .option('--desc', 'descending order (the default)')
    .option('--limit <n>', 'rows of the artist\'s tracks, artists of the other tables (most tracks first)', '20')
    .option('--top <n>', 'tracks per artist in the top-tracks table', '3')
    .option('--top-by <feature>', 'feature that ranks the top tracks, descending', 'danceability')
    .addOption(new Option('--view <name>', 'which table to show').choices(['all', 'summary', 'tracks', 'averages', 'top']).default('all'));
  addInputOptions(command);
  addCommonOptions(command);

  command.action(async (flags: ExploreFlags) => {
    const context = createContext(flags);
    if (context.format === 'csv' && flags.view === 'all') {
      throw new InputError('--format csv prints one table: choose it with --view summary, tracks, averages or top');
    }
    const limit = positiveInteger(flags.limit, '--limit');
    const top = positiveInteger(flags.top, '--top');
    const orderBy = orderableColumn(flags.orderBy, '--order-by');
    const topBy = orderableColumn(flags.topBy, '--top-by');

    const frame = await loadFromFlags(flags, context);
    try {
      const artists = await resolveArtists(frame, flags.artist ?? []);
      const views: Record<string, { title: string; table: ResultTable; footer?: string }> = {};
      const omittedNote = (count: number) => (count > 0 ? `${count} more artist${count === 1 ? '' : 's'} not shown (raise --limit or pick them with --artist)` : undefined);
      const wants = (view: string) => flags.view === 'all' || flags.view === view;

      if (wants('summary')) views.summary = { title: 'Summary of the loaded tracks (after --dedupe and --drop-spoken, before --artist)', table: await summaryTable(frame) };
      if (wants('tracks')) {
        const chosen = artists.length > 0 ? artists : [await busiestArtist(frame)].filter((name): name is string => name !== undefined);
        const direction = flags.asc ? 'ascending' : 'descending';
        const table = await artistTracks(frame, { artists: chosen, orderBy, descending: !flags.asc, limit });
        const quoted = chosen.map((name) => `'${name.replace(/'/g, "''")}'`).join(', ');
        const total = chosen.length === 0 ? 0 : Number((await frame.sql(`SELECT count(*) AS n FROM ${TRACKS_TABLE} WHERE artist IN (${quoted})`)).rows[0].n);
        views.tracks = {
          title: `Tracks of ${chosen.join(', ') || '(no artist)'} by ${orderBy}, ${direction}`,
          table,
          footer: total > table.rows.length ? `only showing top ${table.rows.length} of ${total} tracks (raise --limit)` : undefined,
        };
      }
      if (wants('averages')) {
        const averages = await artistAverages(frame, { artists, limit });
        views.averages = {
          title: 'Average audio features per artist (mode: share in a major key; duration in minutes)',
          table: averages,
          footer: omittedNote(averages.omittedArtists),
        };
      }
      if (wants('top')) {
        const ranked = await topTracks(frame, { artists, n: top, by: topBy, artistLimit: limit });
        views.top = { title: `Top ${top} track${top === 1 ? '' : 's'} per artist by ${topBy}`, table: ranked, footer: omittedNote(ranked.omittedArtists) };
      }

      // Table output shows notes under their tables, as Spark's show() does; other formats keep stdout machine-readable.
      if (context.format !== 'table') {
        for (const view of Object.values(views)) if (view.footer) context.notice(`${view.title}: ${view.footer}`);
      }

      if (context.format === 'json') {
        const json: Record<string, unknown> = Object.fromEntries(Object.entries(views).map(([name, view]) => [name, view.table.rows]));
        if (json.summary) json.summary = Object.fromEntries(views.summary.table.rows.map((row) => [row.item, row.value]));
        context.printJson(flags.view === 'all' ? json : json[flags.view]);
        return;
      }
      if (context.format === 'csv') {
        context.printTable(Object.values(views)[0].table);
        return;
      }
      context.renderer.close();
      const blocks = Object.values(views).map((view) => `${view.title}\n${renderResult(view.table, 'table')}${view.footer ? `\n${view.footer}` : ''}`);
      process.stdout.write(blocks.join('\n\n') + '\n');
    } finally {
      await frame.close();
    }
  });
}
