/**
 * Every track of every album: through `GET /albums?ids=` (at most 20 ids,
 * with each album's first 50 tracks) where the app may use it, otherwise
 * through each album's own `GET /albums/{id}/tracks` pages. Development-mode
 * apps lost the batch endpoint in February 2026 (403); after the first 403
 * the batch endpoint is not tried again in the run. Long albums page their
 * track lists in both cases.
 */
import type { OnEvent } from '../../contracts/events.js';
import { ignoreEvents } from '../../contracts/events.js';
import { JobError } from '../../errors.js';
import { describeError, type HttpClient } from '../http-client.js';
import { DEVELOPMENT_MODE_PAGE_LIMIT, isInvalidLimit } from './albums.js';
import { chunk, withQuery, type Album, type Paging, type SimplifiedTrack } from './objects.js';

/** Most album ids `GET /albums` accepts. */
export const ALBUM_BATCH_SIZE = 20;
/** Largest page of `GET /albums/{id}/tracks`. */
export const TRACK_PAGE_LIMIT = 50;

/** Fetches album track lists, remembering whether the batch endpoint works. */
export class AlbumTracksFetcher {
  /** False once `GET /albums?ids=` returned 403. */
  batchAllowed = true;
  /** Page limit of the per-album track pages. */
  pageLimit = TRACK_PAGE_LIMIT;
  private readonly api: HttpClient;
  private readonly market: string | undefined;
  private readonly onEvent: OnEvent;

  constructor(api: HttpClient, market?: string, onEvent: OnEvent = ignoreEvents) {
    this.api = api;
    this.market = market;
    this.onEvent = onEvent;
  }

  /**
   * Returns the tracks of each album id, in album order; `onAlbum` is called
   * after each album with the number done.
   */
  async fetch(albumIds: readonly string[], onAlbum: (done: number) => void = () => {}): Promise<Map<string, SimplifiedTrack[]>> {
    const tracks = new Map<string, SimplifiedTrack[]>();
    for (const ids of chunk(albumIds, ALBUM_BATCH_SIZE)) {
      const albums = this.batchAllowed ? await this.fetchBatch(ids) : undefined;
      for (const id of ids) {
        const album = albums?.get(id);
        const list = album ? await this.completeTracks(album) : await this.fetchPages(id, [], 0);
        tracks.set(id, list);
        onAlbum(tracks.size);
      }
    }
    return tracks;
  }

  /** Returns the albums of one batch by id, or undefined when the app may not use the batch endpoint. */
  private async fetchBatch(ids: readonly string[]): Promise<Map<string, Album> | undefined> {
    const response = await this.api.get(withQuery('/albums', { ids: ids.join(','), market: this.market }));
    if (response.status === 403) {
      this.batchAllowed = false;
      return undefined;
    }
    if (response.status !== 200) {
      throw new JobError(`fetching albums ${ids.join(',')} failed with ${response.status}${describeError(response.body)}`);
    }

    const albums = new Map<string, Album>();
    for (const album of (response.body as { albums: (Album | null)[] }).albums) if (album) albums.set(album.id, album);
    return albums;
  }

  private async completeTracks(album: Album): Promise<SimplifiedTrack[]> {
    const first = album.tracks.items;
    if (first.length >= album.tracks.total) return [...first];
    return this.fetchPages(album.id, [...first], first.length);
  }

  private async fetchPages(albumId: string, tracks: SimplifiedTrack[], offset: number): Promise<SimplifiedTrack[]> {
    for (;;) {
      const path = withQuery(`/albums/${albumId}/tracks`, { market: this.market, limit: this.pageLimit, offset });
      const response = await this.api.get(path);
      if (isInvalidLimit(response.status, response.body) && this.pageLimit > DEVELOPMENT_MODE_PAGE_LIMIT) {
        this.pageLimit = DEVELOPMENT_MODE_PAGE_LIMIT;
        continue;
      }
      if (response.status === 404) {
        // An album listed for the artist but not available (in this market, say): keep what was found.
        this.onEvent({
          type: 'warning',
          code: 'album-not-found',
          message: `album ${albumId} was listed but its tracks are not available (404); skipped`,
          details: { albumId },
        });
        return tracks;
      }
      if (response.status !== 200) {
        throw new JobError(`fetching the tracks of album ${albumId} failed with ${response.status}${describeError(response.body)}`);
      }

      const page = response.body as Paging<SimplifiedTrack>;
      tracks.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return tracks;
    }
  }
}
