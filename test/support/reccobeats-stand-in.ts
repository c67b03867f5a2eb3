/**
 * A local stand-in for ReccoBeats' `GET /v1/audio-features?ids=` on
 * 127.0.0.1 (random port): features of the shared catalogue by Spotify id,
 * items in reverse request order (so only matching through `href` works),
 * unknown tracks left out, batches above `maxBatch` ids rejected with 400.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalogue } from './stand-in-catalogue.js';
import { madeUpId } from './stand-in-catalogue.js';

export interface ReccoBeatsStandInOptions {
  catalogue: Catalogue;
  /** Largest batch accepted; default 40. */
  maxBatch?: number;
  /** Track ids ReccoBeats does not know. */
  unknown?: Iterable<string>;
  /** Number of next requests that get 429 with `Retry-After: 1`. */
  throttle?: number;
  /** Called for every request with the running total, before the response. */
  onRequest?: (total: number) => void;
}

export class ReccoBeatsStandIn {
  readonly options: ReccoBeatsStandInOptions;
  /** Path and query of every request, with its status. */
  readonly log: { url: string; status: number }[] = [];
  throttle: number;
  /** Requests received, with or without a response. */
  requests = 0;
  private readonly server: Server;
  private readonly unknown: Set<string>;
  private port = 0;

  private constructor(options: ReccoBeatsStandInOptions) {
    this.options = options;
    this.unknown = new Set(options.unknown ?? []);
    this.throttle = options.throttle ?? 0;
    this.server = createServer((request, response) => {
      this.requests += 1;
      this.options.onRequest?.(this.requests);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const [status, body, headers] = this.route(url);
      this.log.push({ url: request.url ?? '/', status });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    });
  }

  static async start(options: ReccoBeatsStandInOptions): Promise<ReccoBeatsStandIn> {
    const standIn = new ReccoBeatsStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(url: URL): [number, unknown, Record<string, string>?] {
    if (url.pathname !== '/v1/audio-features') return [404, { message: 'Not Found' }];
    if (this.throttle > 0) {
      this.throttle -= 1;
      return [429, { message: 'Too Many Requests' }, { 'retry-after': '1' }];
    }
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter((id) => id !== '');
    if (ids.length > (this.options.maxBatch ?? 40)) return [400, { message: `ids must contain at most ${this.options.maxBatch ?? 40} items` }];

    const content = [];
    for (const id of ids) {
      const track = this.options.catalogue.tracks.get(id);
      if (!track?.features || this.unknown.has(id)) continue;
      const { time_signature: _timeSignature, duration_ms: _duration, ...features } = track.features;
      content.push({ id: uuidOf(id), href: `https://open.spotify.com/track/${id}`, isrc: track.isrc, ...features });
    }
    return [200, { content: content.reverse() }];
  }
}

function uuidOf(id: string): string {
  const hex = Buffer.from(madeUpId(`reccobeats:${id}`)).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
