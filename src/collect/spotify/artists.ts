/**
 * Artists given by the user: Spotify ids (also as `spotify:artist:` URIs or
 * open.spotify.com links) are used as given; names are resolved through
 * `GET /search?type=artist`.
 */
import type { OnEvent } from '../../contracts/events.js';
import { InputError, JobError } from '../../errors.js';
import type { HttpClient } from '../http-client.js';
import { withQuery, type Paging, type SimplifiedArtist } from './objects.js';

/** An artist to collect: its Spotify id, and its name when known before the albums arrive. */
export interface ArtistTarget {
  id: string;
  name?: string;
  /** The artist reference as the user wrote it. */
  reference: string;
}

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

/** Returns the Spotify artist id in `text` (bare id, URI or open.spotify.com link), or undefined for a name. */
export function parseArtistId(text: string): string | undefined {
  const trimmed = text.trim();
  if (SPOTIFY_ID.test(trimmed)) return trimmed;
  const uri = /^spotify:artist:([0-9A-Za-z]{22})$/.exec(trimmed);
  if (uri) return uri[1];
  const link = /^https?:\/\/open\.spotify\.com\/(?:intl-[a-z-]+\/)?artist\/([0-9A-Za-z]{22})(?:[/?#].*)?$/.exec(trimmed);
  return link ? link[1] : undefined;
}

/** Search results per request; 10 is the largest page development-mode apps may ask for. */
const SEARCH_LIMIT = 10;

/**
 * Resolves each artist reference to an id. A name takes the first search
 * result with the same name (ignoring case), else the first result with a
 * warning. A name without any result raises an `InputError`.
 */
export async function resolveArtists(api: HttpClient, references: readonly string[], onEvent: OnEvent): Promise<ArtistTarget[]> {
  const targets: ArtistTarget[] = [];
  for (const reference of references) {
    const id = parseArtistId(reference);
    if (id) {
      targets.push({ id, reference });
      continue;
    }

    const name = reference.trim();
    if (name === '') throw new InputError('invalid artist: "" (give a Spotify artist id or a name)');
    const response = await api.get(withQuery('/search', { q: name, type: 'artist', limit: SEARCH_LIMIT }));
    if (response.status !== 200) {
      throw new JobError(`Spotify search for artist "${name}" failed with ${response.status}`);
    }
    const items = (response.body as { artists?: Paging<SimplifiedArtist> }).artists?.items ?? [];
    if (items.length === 0) {
      throw new InputError(`artist not found: "${name}" (no Spotify search result; check the spelling or pass the artist id)`);
    }

    const expectedName = name.normalize('NFC').toLocaleLowerCase();
    const exact = items.find((item) => item.name.normalize('NFC').toLocaleLowerCase() === expectedName);
    const chosen = exact ?? items[0];
    if (!exact) {
      onEvent({
        type: 'warning',
        code: 'artist-name-mismatch',
        message: `no artist named exactly "${name}"; using the first search result "${chosen.name}" (${chosen.id})`,
        details: { given: name, id: chosen.id, name: chosen.name },
      });
    }
    targets.push({ id: chosen.id, name: chosen.name, reference });
  }
  return targets;
}
