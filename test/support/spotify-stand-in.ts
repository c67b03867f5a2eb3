/**
 * A local stand-in for the Spotify Web API and its accounts service on
 * 127.0.0.1 (random port), serving the shared catalogue. Two modes: `old`
 * (an integration with page limit 50, batch endpoints and audio features)
 * and `development` (a 2026 development-mode app: page limit 10, batch
 * reads 403, audio features 403). Faults are injected on demand and every
 * request is counted per endpoint.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalogue, StandInAlbum, StandInTrack } from './stand-in-catalogue.js';

export type SpotifyMode = 'old' | 'development';

export type Endpoint = 'token' | 'search' | 'artist-albums' | 'albums' | 'album-tracks' | 'audio-features' | 'unknown';

export type FaultKind = '429' | '429-no-retry-after' | 'quota' | '500' | '503' | 'drop' | 'slow' | 'expire-token';

/** A fault served instead of (or before) the normal response, to the next `times` matching requests. */
export interface Fault {
  kind: FaultKind;
  /** Endpoint it applies to; default any endpoint but `token`. */
  endpoint?: Endpoint;
  /** How many requests get it; default 1. */
  times?: number;
  /** `Retry-After` value for 429, in seconds; default 1. */
  retryAfter?: string;
  /** Header name casing of `Retry-After`; default `Retry-After`. */
  retryAfterHeader?: string;
  /** Delay of a slow response, in milliseconds; default 2000. */
  delayMs?: number;
}

export interface SpotifyStandInOptions {
  catalogue: Catalogue;
  mode: SpotifyMode;
  clientId: string;
  clientSecret: string;
  /** `expires_in` of issued tokens, in seconds; default 3600. */
  tokenLifetimeSeconds?: number;
  /** Track ids whose audio features are `null`. */
  nullFeatures?: Iterable<string>;
  /** Called for every request, with the endpoint and the running total, before the response. */
  onRequest?: (endpoint: Endpoint, total: number) => void;
}

/** One request as the stand-in saw it. */
export interface LoggedRequest {
  endpoint: Endpoint;
  method: string;
  /** Path and query. */
  url: string;
  status?: number;
  /** True when the whole response was written. */
  finished: boolean;
  authorization?: string;
}

export class SpotifyStandIn {
  readonly options: SpotifyStandInOptions;
  readonly log: LoggedRequest[] = [];
  private readonly server: Server;
  private readonly tokens = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly nullFeatures: Set<string>;
  private port = 0;

  private constructor(options: SpotifyStandInOptions) {
    this.options = options;
    this.nullFeatures = new Set(options.nullFeatures ?? []);
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async start(options: SpotifyStandInOptions): Promise<SpotifyStandIn> {
    const standIn = new SpotifyStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** Base URL of the Web API, ending in `/v1`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Base URL of the accounts service. */
  get accountsUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests per endpoint so far. */
  counts(): Record<Endpoint, number> {
    const counts = { token: 0, search: 0, 'artist-albums': 0, albums: 0, 'album-tracks': 0, 'audio-features': 0, unknown: 0 };
    for (const entry of this.log) counts[entry.endpoint] += 1;
    return counts;
  }

  /** Requests so far, token requests included. */
  get total(): number {
    return this.log.length;
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Drops every fault not yet served. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Makes every issued token invalid, as if it had expired. */
  expireTokens(): void {
    this.tokens.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const endpoint = endpointOf(request.method ?? 'GET', url.pathname);
    const entry: LoggedRequest = { endpoint, method: request.method ?? 'GET', url: request.url ?? '/', finished: false };
    if (request.headers.authorization) entry.authorization = request.headers.authorization;
    this.log.push(entry);
    response.on('finish', () => {
      entry.finished = true;
      entry.status = response.statusCode;
    });
    this.options.onRequest?.(endpoint, this.log.length);

    let body = '';
    request.on('data', (data: Buffer) => (body += data.toString()));
    request.on('end', () => {
      const fault = this.takeFault(endpoint);
      if (fault && this.serveFault(fault, response, request)) return;
      const delay = fault?.kind === 'slow' ? fault.delayMs ?? 2000 : 0;
      const answer = () => {
        if (response.destroyed) return;
        const [status, json] = this.route(endpoint, url, request, body);
        send(response, status, json);
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  }

  private takeFault(endpoint: Endpoint): Fault | undefined {
    const index = this.faults.findIndex((fault) => (fault.endpoint ? fault.endpoint === endpoint : endpoint !== 'token'));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Serves a fault; returns false when the request should still get its normal response (after a delay or token expiry). */
  private serveFault(fault: Fault, response: ServerResponse, request: IncomingMessage): boolean {
    switch (fault.kind) {
      case '429':
        response.writeHead(429, { [fault.retryAfterHeader ?? 'Retry-After']: fault.retryAfter ?? '1', 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { status: 429, message: 'API rate limit exceeded' } }));
        return true;
      case '429-no-retry-after':
        send(response, 429, { error: { status: 429, message: 'API rate limit exceeded' } });
        return true;
      case 'quota':
        send(response, 429, { error: { status: 429, message: 'Quota exceeded', reason: 'QUOTA_EXCEEDED' } });
        return true;
      case '500':
        send(response, 500, { error: { status: 500, message: 'Server error' } });
        return true;
      case '503':
        send(response, 503, { error: { status: 503, message: 'Service unavailable' } });
        return true;
      case 'drop':
        request.socket.destroy();
        return true;
      case 'expire-token':
        this.expireTokens();
        return false;
      case 'slow':
        return false;
    }
  }

  private route(endpoint: Endpoint, url: URL, request: IncomingMessage, body: string): [number, unknown] {
    if (endpoint === 'token') return this.token(request, body);
    if (endpoint === 'unknown') return [404, { error: { status: 404, message: 'Service not found' } }];

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? this.tokens.get(bearer) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      return [401, { error: { status: 401, message: bearer ? 'The access token expired' : 'No token provided' } }];
    }

    const parts = url.pathname.split('/');
    const query = url.searchParams;
    switch (endpoint) {
      case 'search':
        return this.search(query);
      case 'artist-albums':
        return this.artistAlbums(parts[3], query);
      case 'albums':
        return this.albums(query);
      case 'album-tracks':
        return this.albumTracks(parts[3], query);
      case 'audio-features':
        return this.audioFeatures(query);
    }
  }

  private token(request: IncomingMessage, body: string): [number, unknown] {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expected = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    if (basic !== expected) return [400, { error: 'invalid_client', error_description: 'Invalid client' }];
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return [400, { error: 'unsupported_grant_type', error_description: 'grant_type parameter is missing' }];
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const token = `standin-${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, Date.now() + lifetime * 1000);
    return [200, { access_token: token, token_type: 'Bearer', expires_in: lifetime }];
  }

  private pageLimit(): number {
    return this.options.mode === 'old' ? 50 : 10;
  }

  private search(query: URLSearchParams): [number, unknown] {
    const limit = Number(query.get('limit') ?? 20);
    if (limit > this.pageLimit()) return invalidLimit();
    const q = (query.get('q') ?? '').replace(/^artist:/, '').replace(/"/g, '').toLocaleLowerCase();
    const artists = [...this.options.catalogue.artists.values()];
    const exact = artists.filter((artist) => artist.name.toLocaleLowerCase() === q);
    const partial = artists.filter((artist) => artist.name.toLocaleLowerCase() !== q && artist.name.toLocaleLowerCase().includes(q));
    const items = [...exact, ...partial].slice(0, limit).map((artist) => ({ id: artist.id, name: artist.name, type: 'artist' }));
    return [200, { artists: { items, total: exact.length + partial.length, limit, offset: 0, next: null } }];
  }

  private artistAlbums(artistId: string, query: URLSearchParams): [number, unknown] {
    const limit = Number(query.get('limit') ?? 20);
    const offset = Number(query.get('offset') ?? 0);
    if (limit > this.pageLimit()) return invalidLimit();
    const artist = this.options.catalogue.artists.get(artistId);
    if (!artist) return [404, { error: { status: 404, message: 'Resource not found' } }];
    const groups = (query.get('include_groups') ?? 'album,single,compilation,appears_on').split(',');
    const albums = groups.includes('album') ? artist.albums : [];
    const items = albums.slice(offset, offset + limit).map((album) => this.simplifiedAlbum(album));
    const next = offset + limit < albums.length ? `${this.apiUrl}/artists/${artistId}/albums?offset=${offset + limit}&limit=${limit}` : null;
    return [200, { items, total: albums.length, limit, offset, next, href: '' }];
  }

  private albums(query: URLSearchParams): [number, unknown] {
    if (this.options.mode === 'development') return [403, { error: { status: 403, message: 'Forbidden' } }];
    const ids = (query.get('ids') ?? '').split(',');
    if (ids.length > 20) return [400, { error: { status: 400, message: 'Too many ids requested' } }];
    const albums = ids.map((id) => {
      const album = this.options.catalogue.albums.get(id);
      if (!album) return null;
      return { ...this.simplifiedAlbum(album), tracks: this.trackPage(album, 50, 0) };
    });
    return [200, { albums }];
  }

  private albumTracks(albumId: string, query: URLSearchParams): [number, unknown] {
    const limit = Number(query.get('limit') ?? 20);
    const offset = Number(query.get('offset') ?? 0);
    if (limit > 50) return invalidLimit();
    const album = this.options.catalogue.albums.get(albumId);
    if (!album) return [404, { error: { status: 404, message: 'Resource not found' } }];
    return [200, this.trackPage(album, limit, offset)];
  }

  private audioFeatures(query: URLSearchParams): [number, unknown] {
    if (this.options.mode === 'development') return [403, { error: { status: 403 } }];
    const ids = (query.get('ids') ?? '').split(',');
    if (ids.length > 100) return [400, { error: { status: 400, message: 'Too many ids requested' } }];
    const entries = ids.map((id) => {
      const track = this.options.catalogue.tracks.get(id);
      if (!track?.features || this.nullFeatures.has(id)) return null;
      return {
        ...track.features,
        type: 'audio_features',
        id,
        uri: `spotify:track:${id}`,
        track_href: `${this.apiUrl}/tracks/${id}`,
        analysis_url: `${this.apiUrl}/audio-analysis/${id}`,
      };
    });
    return [200, { audio_features: entries }];
  }

  private simplifiedAlbum(album: StandInAlbum): Record<string, unknown> {
    const artist = this.options.catalogue.artists.get(album.artistId)!;
    return {
      id: album.id,
      name: album.name,
      album_type: 'album',
      album_group: 'album',
      release_date: album.release_date,
      release_date_precision: 'day',
      total_tracks: album.tracks.length,
      images: album.image ? [{ url: album.image, width: 640, height: 640 }] : [],
      artists: [{ id: artist.id, name: artist.name, type: 'artist' }],
      type: 'album',
      uri: `spotify:album:${album.id}`,
    };
  }

  private trackPage(album: StandInAlbum, limit: number, offset: number): Record<string, unknown> {
    const artist = this.options.catalogue.artists.get(album.artistId)!;
    const items = album.tracks.slice(offset, offset + limit).map((track: StandInTrack, index) => ({
      id: track.id,
      name: track.name,
      duration_ms: track.duration_ms,
      disc_number: 1,
      track_number: offset + index + 1,
      explicit: false,
      artists: [{ id: artist.id, name: artist.name, type: 'artist' }],
      type: 'track',
      uri: `spotify:track:${track.id}`,
    }));
    const next = offset + limit < album.tracks.length ? `${this.apiUrl}/albums/${album.id}/tracks?offset=${offset + limit}&limit=${limit}` : null;
    return { items, total: album.tracks.length, limit, offset, next };
  }
}

function endpointOf(method: string, path: string): Endpoint {
  if (method === 'POST' && path === '/api/token') return 'token';
  if (method !== 'GET') return 'unknown';
  if (path === '/v1/search') return 'search';
  if (/^\/v1\/artists\/[^/]+\/albums$/.test(path)) return 'artist-albums';
  if (path === '/v1/albums') return 'albums';
  if (/^\/v1\/albums\/[^/]+\/tracks$/.test(path)) return 'album-tracks';
  if (path === '/v1/audio-features') return 'audio-features';
  return 'unknown';
}

function invalidLimit(): [number, unknown] {
  return [400, { error: { status: 400, message: 'Invalid limit' } }];
}

function send(response: ServerResponse, status: number, json: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(json));
}
