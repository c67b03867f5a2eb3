/**
 * The input flags shared by every command that reads tracks (`--input`,
 * `--column`, `--dedupe`, `--drop-spoken`, `--engine`) and the load they drive.
 */
import { Command, Option } from 'commander';
import { openEngine } from '../frame/engines.js';
import type { LoadOptions, TrackFrame } from '../frame/engine.js';
import { countIdDuplicates, dedupe, dropSpoken, parseDedupeMode } from '../frame/dedupe.js';
import { parseColumnOverrides } from '../frame/layouts.js';
import type { CommandContext } from './context.js';
import { collect } from './context.js';

/** Values of the input flags after parsing. */
export interface InputFlags {
  input?: string[];
  column?: string[];
  dedupe?: string;
  dropSpoken?: boolean;
  engine?: string;
  refreshDownloads?: boolean;
}

/** Adds the input flags to a command. */
export function addInputOptions(command: Command): Command {
  return command
    .option('-i, --input <paths...>', 'track files, globs, directories or http(s) URLs of CSV, JSON or Parquet (one or more)', collect)
    .option('--column <canonical=theirs>', 'map a column of yours to a track-table column, e.g. artist=Performer (repeatable)', collect)
    .addOption(new Option('--dedupe <mode>', 'ids: one row per track id; versions: one row per recording (remasters merged, live kept)').choices(['ids', 'versions']))
    .option('--drop-spoken', 'drop tracks with speechiness above 0.66 (probably spoken word)')
    .addOption(new Option('--engine <name>', 'where tables live: local (DuckDB in this process)').default('local'))
    .option('--refresh-downloads', 'download URL inputs again instead of using the cached copy');
}

/** Loads the tracks named by the flags, applies deduplication and the spoken-word filter, and reports what happened. */
export async function loadFromFlags(flags: InputFlags, context: CommandContext, options: Pick<LoadOptions, 'requiredFeatures'> = {}): Promise<TrackFrame> {
  const onEvent = context.renderer.onEvent;
  const engine = openEngine(flags.engine);
  const frame = await engine.load({
    inputs: flags.input ?? [],
    columns: parseColumnOverrides(flags.column ?? []),
    refreshDownloads: flags.refreshDownloads,
    requiredFeatures: options.requiredFeatures,
    onEvent,
  });

  try {
    const duplicates = await countIdDuplicates(frame);
    if (duplicates.rowsSharingId > 0 && flags.dedupe === undefined) {
      onEvent({
        type: 'info',
        code: 'shared-ids',
        message: `${duplicates.rowsSharingId} of ${duplicates.rows} rows share a track id with another row (${duplicates.repeatedIds} ids); pass --dedupe ids or --dedupe versions to keep one`,
        details: { ...duplicates },
      });
    }
    if (flags.dedupe !== undefined) {
      const result = await dedupe(frame, parseDedupeMode(flags.dedupe));
      onEvent({
        type: 'info',
        code: 'dedupe',
        message: `--dedupe ${result.mode}: kept ${result.rowsAfter} of ${result.rowsBefore} rows (${result.removed} duplicates removed from ${result.groups} groups)`,
        details: { ...result },
      });
    }
    if (flags.dropSpoken) {
      const dropped = await dropSpoken(frame);
      onEvent({ type: 'info', code: 'drop-spoken', message: `--drop-spoken: dropped ${dropped} tracks with speechiness above 0.66`, details: { dropped } });
    }
  } catch (error) {
    await frame.close();
    throw error;
  }
  return frame;
}
