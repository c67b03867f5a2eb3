/**
 * Audio features from ReccoBeats (`GET /v1/audio-features?ids=`, Spotify
 * track ids, no API key). Items come back in `content`, without null
 * placeholders and not necessarily in request order, so each is matched to
 * its track through the Spotify URL in `href`. ReccoBeats has no
 * `time_signature` and no `duration_ms`.
 */
import type { OnEvent } from '../../contracts/events.js';
import { ignoreEvents } from '../../contracts/events.js';
import { JobError } from '../../errors.js';
import { describeError, type HttpClient } from '../http-client.js';
import { withQuery } from '../spotify/objects.js';
import { integerOrNull, numberOrNull, type AudioFeatures, type FeatureProvider, type FeatureResult } from './provider.js';

/**
 * Default ids per request. NOTE: 40 is the size widely used with ReccoBeats,
 * not a documented limit; a rejected batch halves it.
 */
export const RECCOBEATS_BATCH_SIZE = 40;

/** Statuses by which ReccoBeats rejects a batch as too large or malformed. */
const REJECTED_BATCH = new Set([400, 413, 414]);

/** Options of {@link ReccoBeatsFeatureProvider}. */
export interface ReccoBeatsOptions {
  /** Ids per request; default 40. */
  batchSize?: number;
  onEvent?: OnEvent;
}

/** Returns the Spotify track id in a URL such as `https://open.spotify.com/track/<id>`. */
export function spotifyTrackIdOf(href: unknown): string | undefined {
  if (typeof href !== 'string') return undefined;
  const match = /(?:open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/|spotify:track:)([0-9A-Za-z]{22})/.exec(href);
  return match ? match[1] : undefined;
}

/** Audio features from ReccoBeats, matched back to Spotify track ids. */
export class ReccoBeatsFeatureProvider implements FeatureProvider {
  readonly name = 'reccobeats';
  /** Ids per request in use; halved each time ReccoBeats rejects a batch. */
  batchSize: number;
  private readonly api: HttpClient;
  private readonly onEvent: OnEvent;

  constructor(api: HttpClient, options: ReccoBeatsOptions = {}) {
    const batchSize = options.batchSize ?? RECCOBEATS_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`invalid batch size: ${batchSize} (must be a positive integer)`);
    this.api = api;
    this.batchSize = batchSize;
    this.onEvent = options.onEvent ?? ignoreEvents;
  }

  /** Fetches features batch by batch; a track ReccoBeats does not return is missing. */
  async fetch(ids: readonly string[], onProgress: (done: number) => void = () => {}): Promise<FeatureResult> {
    const features = new Map<string, AudioFeatures>();
    let start = 0;
    while (start < ids.length) {
      const batch = ids.slice(start, start + this.batchSize);
      const response = await this.api.get(withQuery('/audio-features', { ids: batch.join(',') }));

      if (REJECTED_BATCH.has(response.status)) {
        if (batch.length > 1) {
          this.batchSize = Math.max(1, Math.floor(batch.length / 2));
          this.onEvent({
            type: 'warning',
            code: 'batch-size-halved',
            message: `ReccoBeats rejected a batch of ${batch.length} ids with ${response.status}${describeError(response.body)}; using batches of ${this.batchSize}`,
            details: { status: response.status, batchSize: this.batchSize },
          });
          continue;
        }
        // A single rejected id is a track ReccoBeats cannot serve: it stays missing.
      } else if (response.status !== 200) {
        throw new JobError(`fetching ReccoBeats audio features failed with ${response.status}${describeError(response.body)}`);
      } else {
        const requested = new Set(batch);
        for (const item of (response.body as { content?: unknown[] }).content ?? []) {
          if (!item || typeof item !== 'object') continue;
          const id = spotifyTrackIdOf((item as { href?: unknown }).href);
          if (id && requested.has(id)) features.set(id, fromReccoBeats(item as Record<string, unknown>));
        }
      }

      start += batch.length;
      onProgress(start);
    }

    const missing = ids.filter((id) => !features.has(id));
    return { features, missing };
  }
}

function fromReccoBeats(item: Record<string, unknown>): AudioFeatures {
  return {
    danceability: numberOrNull(item.danceability),
    energy: numberOrNull(item.energy),
    key: integerOrNull(item.key),
    loudness: numberOrNull(item.loudness),
    mode: integerOrNull(item.mode),
    speechiness: numberOrNull(item.speechiness),
    acousticness: numberOrNull(item.acousticness),
    instrumentalness: numberOrNull(item.instrumentalness),
    liveness: numberOrNull(item.liveness),
    valence: numberOrNull(item.valence),
    tempo: numberOrNull(item.tempo),
    time_signature: null,
    duration_ms: null,
    isrc: typeof item.isrc === 'string' ? item.isrc : null,
  };
}
