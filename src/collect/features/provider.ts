/** The interface of audio-feature providers and the features they return. */

/** Audio features of one track, in the canonical table's column names. */
export interface AudioFeatures {
  danceability: number | null;
  energy: number | null;
  key: number | null;
  loudness: number | null;
  mode: number | null;
  speechiness: number | null;
  acousticness: number | null;
  instrumentalness: number | null;
  liveness: number | null;
  valence: number | null;
  tempo: number | null;
  /** Null from providers that lack it (ReccoBeats). */
  time_signature: number | null;
  /** Null from providers that lack it (ReccoBeats); the track's own length is used then. */
  duration_ms: number | null;
  /** International Standard Recording Code, when the provider returns it. */
  isrc: string | null;
}

/** Features found for some tracks; the others are listed as missing. */
export interface FeatureResult {
  /** Features by Spotify track id. */
  features: Map<string, AudioFeatures>;
  /** Spotify track ids the provider has no features for, in request order. */
  missing: string[];
}

/** A source of audio features by Spotify track id. */
export interface FeatureProvider {
  /** Value of the `features_source` column: `spotify`, `reccobeats`. */
  readonly name: string;
  /** Fetches features for `ids`; `onProgress` receives the number of ids done. */
  fetch(ids: readonly string[], onProgress?: (done: number) => void): Promise<FeatureResult>;
}

/** Returns `value` when it is a finite number, else null. */
export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Returns `value` when it is an integer, else null. */
export function integerOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
