/**
 * Audio features from Spotify's `GET /audio-features?ids=` (at most 100 ids).
 * Tracks without features come back as `null` entries: they are skipped and
 * listed as missing. Apps created after 2024-11-27 without extended access
 * get 403 here; the collection then stops with an explanation rather than
 * building a table without features.
 */
import { JobError } from '../../errors.js';
import { describeError, type HttpClient } from '../http-client.js';
import { chunk, withQuery } from '../spotify/objects.js';
import { integerOrNull, numberOrNull, type AudioFeatures, type FeatureProvider, type FeatureResult } from './provider.js';

/** Most track ids `GET /audio-features` accepts. */
export const SPOTIFY_FEATURES_BATCH_SIZE = 100;

/** The error raised when Spotify refuses audio features to the app. */
export const AUDIO_FEATURES_FORBIDDEN =
  'Spotify answered 403 Forbidden to GET /audio-features: since 27 November 2024 Spotify serves audio features only to apps ' +
  'that had extended access before that date. Run the same command with --provider reccobeats (features by Spotify ' +
  'track id from ReccoBeats) or --provider none (tracks without features); the albums and tracks fetched so far are ' +
  'cached and will not be requested again';

/** Audio features from the Spotify Web API. */
export class SpotifyFeatureProvider implements FeatureProvider {
  readonly name = 'spotify';
  private readonly api: HttpClient;

  constructor(api: HttpClient) {
    this.api = api;
  }

  /** Fetches features in batches of 100; raises a {@link JobError} on 403. */
  async fetch(ids: readonly string[], onProgress: (done: number) => void = () => {}): Promise<FeatureResult> {
    const features = new Map<string, AudioFeatures>();
    let done = 0;
    for (const batch of chunk(ids, SPOTIFY_FEATURES_BATCH_SIZE)) {
      const response = await this.api.get(withQuery('/audio-features', { ids: batch.join(',') }));
      if (response.status === 403) throw new JobError(AUDIO_FEATURES_FORBIDDEN);
      if (response.status !== 200) {
        throw new JobError(`fetching audio features failed with ${response.status}${describeError(response.body)}`);
      }

      const entries = (response.body as { audio_features?: unknown[] }).audio_features ?? [];
      for (const entry of entries) {
        if (entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string') {
          features.set((entry as { id: string }).id, fromSpotify(entry as Record<string, unknown>));
        }
      }
      done += batch.length;
      onProgress(done);
    }

    const missing = ids.filter((id) => !features.has(id));
    return { features, missing };
  }
}

function fromSpotify(entry: Record<string, unknown>): AudioFeatures {
  return {
    danceability: numberOrNull(entry.danceability),
    energy: numberOrNull(entry.energy),
    key: integerOrNull(entry.key),
    loudness: numberOrNull(entry.loudness),
    mode: integerOrNull(entry.mode),
    speechiness: numberOrNull(entry.speechiness),
    acousticness: numberOrNull(entry.acousticness),
    instrumentalness: numberOrNull(entry.instrumentalness),
    liveness: numberOrNull(entry.liveness),
    valence: numberOrNull(entry.valence),
    tempo: numberOrNull(entry.tempo),
    time_signature: integerOrNull(entry.time_signature),
    duration_ms: integerOrNull(entry.duration_ms),
    isrc: null,
  };
}
