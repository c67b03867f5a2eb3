/**
 * The parts of Spotify Web API objects the collection reads. Fields removed
 * for development-mode apps in 2026 (popularity, available_markets, label,
 * for a while external_ids) are optional here or not read at all.
 */

/** An artist as listed in albums, tracks and search results. */
export interface SimplifiedArtist {
  id: string;
  name: string;
}

/** One size of a cover image. */
export interface SpotifyImage {
  url: string;
  width?: number | null;
  height?: number | null;
}

/** A page of results with `offset` paging. */
export interface Paging<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  next: string | null;
}

/** An album as listed by `GET /artists/{id}/albums`. */
export interface SimplifiedAlbum {
  id: string;
  name: string;
  album_type?: string;
  album_group?: string;
  release_date?: string;
  images?: SpotifyImage[];
  artists?: SimplifiedArtist[];
  total_tracks?: number;
}

/** An album from `GET /albums?ids=`, with the first page of its tracks. */
export interface Album extends SimplifiedAlbum {
  tracks: Paging<SimplifiedTrack>;
}

/** A track as listed in an album. */
export interface SimplifiedTrack {
  id: string;
  name: string;
  duration_ms?: number;
  disc_number?: number;
  track_number?: number;
  explicit?: boolean;
  artists?: SimplifiedArtist[];
  /** Present on full track objects only; simplified ones usually lack it. */
  external_ids?: { isrc?: string };
}

/** Builds a path with a query string in the given key order (stable cache keys); undefined values are left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Splits `values` into consecutive chunks of at most `size`. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
}
