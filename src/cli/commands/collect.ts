/**
 * `grooviest collect`: artists → the canonical track table with audio
 * features, from the Spotify Web API and a feature provider, written to a
 * Parquet, CSV or JSON file.
 */
import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { collectTracks, RECCOBEATS_API_URL, SPOTIFY_ACCOUNTS_URL, SPOTIFY_API_URL, type FeatureProviderName } from '../../collect/collect.js';
import { loadSpotifyCredentials } from '../../collect/credentials.js';
import { RECCOBEATS_BATCH_SIZE } from '../../collect/features/reccobeats.js';
import { InputError } from '../../errors.js';
import { tableFormatFor, writeTrackTable } from '../../frame/write-table.js';
import { addCommonOptions, collect, createContext, type CommonFlags } from '../context.js';

interface CollectFlags extends CommonFlags {
  artist?: string[];
  artistsFile?: string;
  includeGroups: string;
  market?: string;
  provider: string;
  out: string;
  maxWait: string;
  maxRate: string;
  timeout: string;
  retries: string;
  refresh?: boolean;
  cacheDir?: string;
  reccobeatsBatch: string;
  spotifyUrl: string;
  accountsUrl: string;
  reccobeatsUrl: string;
}

const ALBUM_GROUPS = ['album', 'single', 'appears_on', 'compilation'];
const PROVIDERS: FeatureProviderName[] = ['spotify', 'reccobeats', 'none'];

/** Registers `collect` on the program. */
export function registerCollectCommand(program: Command): void {
  const command = program
    .command('collect')
    .description(
      "Collect artists' tracks and audio features from the Spotify Web API (credentials from SPOTIFY_CLIENT_ID and " +
        'SPOTIFY_CLIENT_SECRET or ~/.config/grooviest/config.json) into a track table. Responses are cached, so an ' +
        'interrupted collection restarted with the same arguments resumes where it stopped.',
    )
    .option('--artist <artist>', 'Spotify artist id, URI, link or name; repeatable', collect)
    .option('--artists-file <file>', 'file with one artist (id or name) per line; # starts a comment')
    .option('--include-groups <groups>', 'comma-separated album groups: album, single, appears_on, compilation', 'album')
    .option('--market <code>', 'ISO 3166-1 alpha-2 country code for albums and tracks')
    .addOption(new Option('--provider <name>', 'who supplies the audio features').choices(PROVIDERS).default('spotify'))
    .option('--out <file>', 'output file: Parquet, or CSV/JSON by extension (.csv, .json)', 'tracks.parquet')
    .option('--max-wait <seconds>', 'maximum wait, in seconds, when a service requests a later retry', '300')
    .option('--max-rate <requests>', 'client-side limit on requests per second', '5')
    .option('--timeout <seconds>', 'time allowed for one request', '30')
    .option('--retries <count>', 'retries of one request after 429, 5xx, timeouts and network errors', '6')
    .option('--refresh', 'ignore cached responses and request everything again')
    .option('--cache-dir <dir>', 'response cache directory (default: collect/ in the grooviest cache directory)')
    .option('--reccobeats-batch <ids>', 'ReccoBeats ids per request (halved automatically when rejected)', String(RECCOBEATS_BATCH_SIZE))
    .option('--spotify-url <url>', 'base URL of the Spotify Web API (for proxies)', SPOTIFY_API_URL)
    .option('--accounts-url <url>', 'base URL of the Spotify accounts service (for proxies)', SPOTIFY_ACCOUNTS_URL)
    .option('--reccobeats-url <url>', 'base URL of the ReccoBeats API (for proxies)', RECCOBEATS_API_URL);
  addCommonOptions(command).action(async (flags: CollectFlags) => {
    const context = createContext(flags);
    const artists = [...(flags.artist ?? []), ...(flags.artistsFile ? await readArtistsFile(flags.artistsFile) : [])];
    if (artists.length === 0) throw new InputError('missing artists: give --artist (repeatable) or --artists-file');
    const includeGroups = parseIncludeGroups(flags.includeGroups);
    const market = flags.market === undefined ? undefined : parseMarket(flags.market);
    const out = resolve(flags.out);
    const http = {
      maxWaitMs: parsePositive('--max-wait', flags.maxWait) * 1000,
      requestsPerSecond: parsePositive('--max-rate', flags.maxRate),
      timeoutMs: parsePositive('--timeout', flags.timeout) * 1000,
      maxRetries: parseCount('--retries', flags.retries),
    };
    const reccobeatsBatchSize = parseCount('--reccobeats-batch', flags.reccobeatsBatch);
    if (reccobeatsBatchSize < 1) throw new InputError('invalid --reccobeats-batch: 0 (must be at least 1)');
    const credentials = await loadSpotifyCredentials();

    const result = await collectTracks({
      artists,
      credentials,
      includeGroups,
      market,
      provider: flags.provider as FeatureProviderName,
      spotifyUrl: flags.spotifyUrl,
      accountsUrl: flags.accountsUrl,
      reccobeatsUrl: flags.reccobeatsUrl,
      cacheDirectory: flags.cacheDir,
      refresh: flags.refresh,
      reccobeatsBatchSize,
      http,
      onEvent: context.renderer.onEvent,
    });
    await writeTrackTable(out, result.rows, { format: tableFormatFor(out) });

    const { featuresMissing, ...counts } = result.summary;
    const summary = { out, format: tableFormatFor(out), ...counts, featuresMissing: featuresMissing.length };
    if (context.format === 'json') context.printJson(summary);
    else context.printTable({ columns: ['field', 'value'], rows: Object.entries(summary).map(([field, value]) => ({ field, value })) });
  });
}

async function readArtistsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read --artists-file ${path}: ${(error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

function parseIncludeGroups(value: string): string[] {
  const groups = value.split(',').map((group) => group.trim()).filter((group) => group !== '');
  for (const group of groups) {
    if (!ALBUM_GROUPS.includes(group)) throw new InputError(`invalid --include-groups value: ${group} (use ${ALBUM_GROUPS.join(', ')})`);
  }
  if (groups.length === 0) throw new InputError(`invalid --include-groups: "${value}" (use ${ALBUM_GROUPS.join(', ')})`);
  return groups;
}

function parseMarket(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value)) throw new InputError(`invalid --market: ${value} (use an ISO 3166-1 alpha-2 code such as US)`);
  return value.toUpperCase();
}

function parsePositive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InputError(`invalid ${flag}: ${value} (must be a number above 0)`);
  return number;
}

function parseCount(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InputError(`invalid ${flag}: ${value} (must be a whole number, 0 or more)`);
  return number;
}
