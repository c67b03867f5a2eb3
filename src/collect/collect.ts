/**
 * The collection: artists → albums → tracks → audio features → rows of the
 * canonical track table. Every response goes through the on-disk cache, so
 * an interrupted collection restarted with the same arguments repeats no
 * request. Progress, warnings and the summary are reported through `onEvent`.
 */
import { join } from 'node:path';
import type { GrooviestEvent, OnEvent } from '../contracts/events.js';
import { ignoreEvents } from '../contracts/events.js';
import { InputError, JobError } from '../errors.js';
import { cacheDir } from '../paths.js';
import { ResponseCache } from './cache.js';
import type { FeatureProvider, FeatureResult } from './features/provider.js';
import { ReccoBeatsFeatureProvider } from './features/reccobeats.js';
import { SpotifyFeatureProvider } from './features/spotify.js';
import { createRequestStats, HttpClient, type HttpClientOptions } from './http-client.js';
import { SPOTIFY_POLICY_NOTICE } from './policy.js';
import { ArtistAlbumsPager } from './spotify/albums.js';
import { resolveArtists, type ArtistTarget } from './spotify/artists.js';
import { ClientCredentialsAuth, type SpotifyCredentials } from './spotify/auth.js';
import type { SimplifiedAlbum } from './spotify/objects.js';
import { AlbumTracksFetcher } from './spotify/tracks.js';
import { buildTrackRow, type CollectedTrack, type TrackRow } from './track-row.js';

/** Audio-feature provider: Spotify, ReccoBeats, or none (tracks without features). */
export type FeatureProviderName = 'spotify' | 'reccobeats' | 'none';

/** Default base URL of the Spotify Web API. */
export const SPOTIFY_API_URL = 'https://api.spotify.com/v1';
/** Default base URL of the Spotify accounts service (token endpoint `/api/token`). */
export const SPOTIFY_ACCOUNTS_URL = 'https://accounts.spotify.com';
/** Default base URL of the ReccoBeats API. */
export const RECCOBEATS_API_URL = 'https://api.reccobeats.com/v1';

/** Options of {@link collectTracks}. */
export interface CollectOptions {
  /** Artists as Spotify ids, `spotify:artist:` URIs, open.spotify.com links or names. */
  artists: readonly string[];
  /** Spotify client id and secret. */
  credentials: SpotifyCredentials;
  /** Album groups to list (`album`, `single`, `appears_on`, `compilation`); default `['album']`. */
  includeGroups?: readonly string[];
  /** ISO 3166-1 alpha-2 market for albums and tracks; default none (Spotify's own choice). */
  market?: string;
  /** Audio-feature provider; default `spotify`. */
  provider?: FeatureProviderName;
  /** Base URL of the Spotify Web API (a stand-in or a proxy); default `https://api.spotify.com/v1`. */
  spotifyUrl?: string;
  /** Base URL of the Spotify accounts service; default `https://accounts.spotify.com`. */
  accountsUrl?: string;
  /** Base URL of ReccoBeats; default `https://api.reccobeats.com/v1`. */
  reccobeatsUrl?: string;
  /** Directory of the response cache; default `collect/` in the grooviest cache directory. */
  cacheDirectory?: string;
  /** Ignore cached responses and ask the services again; default false. */
  refresh?: boolean;
  /** ReccoBeats ids per request; default 40, halved when a batch is rejected. */
  reccobeatsBatchSize?: number;
  /** Retry and rate-limit settings of every client (see {@link HttpClientOptions}). */
  http?: Pick<HttpClientOptions, 'maxWaitMs' | 'maxRetries' | 'backoffBaseMs' | 'backoffMaxMs' | 'requestsPerSecond' | 'timeoutMs'>;
  /** Event sink for progress, warnings, retries and the summary; default ignores them. */
  onEvent?: OnEvent;
}

/** Counts of one collection. */
export interface CollectSummary {
  artists: number;
  albums: number;
  tracks: number;
  provider: FeatureProviderName;
  /** Tracks with audio features (0 with provider `none`). */
  featuresFound: number;
  /** Spotify ids of tracks the provider had no features for; they are left out of the rows. */
  featuresMissing: string[];
  /** Rows of the table. */
  rows: number;
  /** Requests sent over the network, retries and token requests included. */
  requests: number;
  /** Responses read from the cache. */
  cachedResponses: number;
  retries: number;
  /** Milliseconds waited before retries. */
  waitedMs: number;
  elapsedMs: number;
}

/** The collected rows and their summary. */
export interface CollectResult {
  rows: TrackRow[];
  summary: CollectSummary;
}

/** Returns the default response-cache directory, `collect/` under the grooviest cache directory. */
export function defaultCollectCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'collect');
}

/**
 * Collects the tracks of `artists` with their audio features. Tracks
 * without features from the provider are counted, listed and left out.
 * When no track has features, the collection fails instead of returning an
 * empty table. Raises {@link JobError} for service failures and
 * `InputError` for unknown artists.
 */
export async function collectTracks(options: CollectOptions): Promise<CollectResult> {
  const started = Date.now();
  const onEvent = options.onEvent ?? ignoreEvents;
  const provider = options.provider ?? 'spotify';
  const includeGroups = options.includeGroups ?? ['album'];
  if (options.artists.length === 0) throw new InputError('missing artists: give at least one artist id or name');
  onEvent({ type: 'info', code: 'spotify-policy', message: SPOTIFY_POLICY_NOTICE, always: true });

  // One cache and one set of counters for every service of the run.
  const stats = createRequestStats();
  const cache = new ResponseCache(options.cacheDirectory ?? defaultCollectCacheDir(), { refresh: options.refresh });
  const common = { ...options.http, stats, onEvent };
  const accounts = new HttpClient({ ...common, service: 'Spotify accounts', baseUrl: options.accountsUrl ?? SPOTIFY_ACCOUNTS_URL });
  const auth = new ClientCredentialsAuth(options.credentials, { accounts });
  const api = new HttpClient({ ...common, service: 'Spotify', baseUrl: options.spotifyUrl ?? SPOTIFY_API_URL, cache, authorizer: auth });

  // Artists and their albums.
  const targets = await resolveArtists(api, options.artists, onEvent);
  const pager = new ArtistAlbumsPager(api);
  const albumsByArtist: SimplifiedAlbum[][] = [];
  for (const target of targets) {
    albumsByArtist.push(await pager.list(target.id, { includeGroups, market: options.market }));
    onEvent({ type: 'progress', task: 'albums', done: albumsByArtist.length, total: targets.length, unit: 'artists' });
  }

  // Tracks of every distinct album.
  const albumIds = [...new Set(albumsByArtist.flat().map((album) => album.id))];
  const fetcher = new AlbumTracksFetcher(api, options.market, onEvent);
  const tracksByAlbum = await fetcher.fetch(albumIds, (done) =>
    onEvent({ type: 'progress', task: 'tracks', done, total: albumIds.length, unit: 'albums' }),
  );
  const collected = listTracks(targets, albumsByArtist, tracksByAlbum);
  if (collected.length === 0) {
    throw new JobError(`no tracks found for ${targets.map((target) => target.reference).join(', ')} with --include-groups ${includeGroups.join(',')}`);
  }

  // Audio features.
  const features = await fetchFeatures(provider, collected, api, options, common, cache, onEvent);
  if (features && features.missing.length > 0) onEvent(missingFeaturesWarning(features.missing, collected.length, provider));
  if (features && features.features.size === 0) {
    throw new JobError(
      `no audio features found for any of the ${collected.length} tracks from ${provider}; ` +
        `no table was written (try another --provider, or --provider none for tracks without features)`,
    );
  }

  const rows = buildRows(collected, features, provider);
  const summary: CollectSummary = {
    artists: targets.length,
    albums: albumIds.length,
    tracks: collected.length,
    provider,
    featuresFound: features?.features.size ?? 0,
    featuresMissing: features?.missing ?? [],
    rows: rows.length,
    requests: stats.requests,
    cachedResponses: stats.cached,
    retries: stats.retries,
    waitedMs: stats.waitedMs,
    elapsedMs: Date.now() - started,
  };
  onEvent(summaryEvent(summary));
  return { rows, summary };
}

/** Returns the rows: with a provider only tracks that have features, as the reference workflow does. */
function buildRows(collected: readonly CollectedTrack[], features: FeatureResult | undefined, provider: FeatureProviderName): TrackRow[] {
  const rows: TrackRow[] = [];
  for (const track of collected) {
    if (!features) {
      rows.push(buildTrackRow(track, undefined, null));
      continue;
    }
    const found = features.features.get(track.track.id);
    if (found) rows.push(buildTrackRow(track, found, provider));
  }
  return rows;
}

function missingFeaturesWarning(missing: readonly string[], tracks: number, provider: FeatureProviderName): GrooviestEvent {
  const listed = missing.slice(0, 20).join(', ');
  const more = missing.length > 20 ? ` and ${missing.length - 20} more` : '';
  return {
    type: 'warning',
    code: 'features-missing',
    message: `${missing.length} of ${tracks} tracks have no audio features from ${provider} and were skipped: ${listed}${more}`,
    details: { count: missing.length, ids: [...missing] },
  };
}

function summaryEvent(summary: CollectSummary): GrooviestEvent {
  return {
    type: 'info',
    code: 'collect-summary',
    message:
      `collected ${summary.rows} rows: ${summary.artists} artists, ${summary.albums} albums, ${summary.tracks} tracks, ` +
      `features ${summary.featuresFound} found / ${summary.featuresMissing.length} missing (${summary.provider}); ` +
      `${summary.requests} requests, ${summary.cachedResponses} cached, ${summary.retries} retries, ` +
      `${(summary.waitedMs / 1000).toFixed(1)} s waited`,
    details: { ...summary, featuresMissing: summary.featuresMissing.length },
  };
}

/** Lists each artist's tracks album by album; a track reached through two artists is kept once, under the first. */
function listTracks(
  targets: readonly ArtistTarget[],
  albumsByArtist: readonly SimplifiedAlbum[][],
  tracksByAlbum: Map<string, CollectedTrack['track'][]>,
): CollectedTrack[] {
  const seen = new Set<string>();
  const collected: CollectedTrack[] = [];
  targets.forEach((target, index) => {
    for (const album of albumsByArtist[index]) {
      for (const track of tracksByAlbum.get(album.id) ?? []) {
        if (!track.id || seen.has(track.id)) continue;
        seen.add(track.id);
        collected.push({ artist: target, album, track });
      }
    }
  });
  return collected;
}

async function fetchFeatures(
  provider: FeatureProviderName,
  collected: readonly CollectedTrack[],
  api: HttpClient,
  options: CollectOptions,
  common: Omit<HttpClientOptions, 'service' | 'baseUrl'>,
  cache: ResponseCache,
  onEvent: OnEvent,
): Promise<FeatureResult | undefined> {
  let source: FeatureProvider;
  switch (provider) {
    case 'none':
      return undefined;
    case 'spotify':
      source = new SpotifyFeatureProvider(api);
      break;
    case 'reccobeats': {
      const recco = new HttpClient({ ...common, service: 'ReccoBeats', baseUrl: options.reccobeatsUrl ?? RECCOBEATS_API_URL, cache });
      source = new ReccoBeatsFeatureProvider(recco, { batchSize: options.reccobeatsBatchSize, onEvent });
      break;
    }
  }
  const ids = collected.map((item) => item.track.id);
  return source.fetch(ids, (done) => onEvent({ type: 'progress', task: 'features', done, total: ids.length, unit: 'tracks' }));
}
