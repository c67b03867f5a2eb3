/**
 * An artist's albums from `GET /artists/{id}/albums`, paged with the largest
 * `limit` the app may use: 50 for older integrations, 10 for
 * development-mode apps since 2026 (they get 400 "Invalid limit" above 10).
 * The fallback limit is kept for the rest of the run.
 */
import { InputError, JobError } from '../../errors.js';
import { describeError, type HttpClient } from '../http-client.js';
import { withQuery, type Paging, type SimplifiedAlbum } from './objects.js';

/** Largest page of the albums endpoint for older integrations. */
export const MAX_PAGE_LIMIT = 50;
/** Largest page development-mode apps may request. */
export const DEVELOPMENT_MODE_PAGE_LIMIT = 10;

/** Returns true for the 400 response to a page limit above what the app may use. */
export function isInvalidLimit(status: number, body: unknown): boolean {
  return status === 400 && /invalid limit/i.test(describeError(body));
}

/** Filters of an artist's album list. */
export interface AlbumQuery {
  /** `include_groups` values: album, single, appears_on, compilation. */
  includeGroups: readonly string[];
  /** ISO 3166-1 alpha-2 market; default none. */
  market?: string;
}

/** Lists artists' albums, remembering the page limit that works. */
export class ArtistAlbumsPager {
  /** Page limit in use: 50 until the API rejects it, then 10. */
  limit = MAX_PAGE_LIMIT;
  private readonly api: HttpClient;

  constructor(api: HttpClient) {
    this.api = api;
  }

  /** Returns every album of the artist in the API's order, paging until the total is reached. */
  async list(artistId: string, query: AlbumQuery): Promise<SimplifiedAlbum[]> {
    const albums: SimplifiedAlbum[] = [];
    let offset = 0;
    for (;;) {
      const path = withQuery(`/artists/${artistId}/albums`, {
        include_groups: query.includeGroups.join(','),
        market: query.market,
        limit: this.limit,
        offset,
      });
      const response = await this.api.get(path);

      if (isInvalidLimit(response.status, response.body) && this.limit > DEVELOPMENT_MODE_PAGE_LIMIT) {
        this.limit = DEVELOPMENT_MODE_PAGE_LIMIT;
        continue;
      }
      if (response.status === 404 || (response.status === 400 && /invalid (base62 )?id/i.test(describeError(response.body)))) {
        throw new InputError(`artist not found: ${artistId} (check the Spotify artist id)`);
      }
      if (response.status !== 200) {
        throw new JobError(`listing the albums of artist ${artistId} failed with ${response.status}${describeError(response.body)}`);
      }

      const page = response.body as Paging<SimplifiedAlbum>;
      albums.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return albums;
    }
  }
}
