/** One collected track turned into a row of the canonical track table. */
import type { AudioFeatures } from './features/provider.js';
import type { ArtistTarget } from './spotify/artists.js';
import type { SimplifiedAlbum, SimplifiedTrack } from './spotify/objects.js';

/** A row of the canonical track table, by column name. */
export type TrackRow = Record<string, string | number | null>;

/** A track with the artist it was collected for and its album. */
export interface CollectedTrack {
  artist: ArtistTarget;
  album: SimplifiedAlbum;
  track: SimplifiedTrack;
}

/**
 * Builds the canonical row of a track. The artist name is the searched
 * name, else the name Spotify gives for that artist id on the album or
 * track. `duration_ms` comes from the features when the provider has it,
 * else from the track; `isrc` from the provider, else from the track.
 */
export function buildTrackRow(item: CollectedTrack, features: AudioFeatures | undefined, source: string | null): TrackRow {
  const { artist, album, track } = item;
  const artistName =
    artist.name ??
    album.artists?.find((entry) => entry.id === artist.id)?.name ??
    track.artists?.find((entry) => entry.id === artist.id)?.name ??
    null;

  return {
    id: track.id,
    name: track.name ?? null,
    artist: artistName,
    album: album.name ?? null,
    artist_id: artist.id,
    album_id: album.id,
    isrc: features?.isrc ?? track.external_ids?.isrc ?? null,
    release_date: album.release_date ?? null,
    album_image_url: album.images?.[0]?.url ?? null,
    duration_ms: features?.duration_ms ?? track.duration_ms ?? null,
    key: features?.key ?? null,
    mode: features?.mode ?? null,
    time_signature: features?.time_signature ?? null,
    danceability: features?.danceability ?? null,
    energy: features?.energy ?? null,
    speechiness: features?.speechiness ?? null,
    acousticness: features?.acousticness ?? null,
    instrumentalness: features?.instrumentalness ?? null,
    liveness: features?.liveness ?? null,
    valence: features?.valence ?? null,
    loudness: features?.loudness ?? null,
    tempo: features?.tempo ?? null,
    features_source: features ? source : null,
  };
}
