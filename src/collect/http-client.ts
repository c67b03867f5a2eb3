/**
 * The HTTP client shared by the Spotify Web API and the audio-feature
 * providers: a client-side rate limit, `Retry-After` on 429, exponential
 * backoff with jitter, bounded retries of 5xx and network errors, request
 * timeouts and the on-disk response cache that makes collections resumable.
 */
import type { OnEvent } from '../contracts/events.js';
import { ignoreEvents } from '../contracts/events.js';
import { JobError } from '../errors.js';
import type { ResponseCache } from './cache.js';
import { RateLimiter } from './rate-limiter.js';
import { parseRetryAfter } from './retry-after.js';

/** Counters of one collection, shared by every client of a run. */
export interface RequestStats {
  /** Requests sent over the network (retries included). */
  requests: number;
  /** Responses read from the cache instead. */
  cached: number;
  /** Attempts repeated after a 429, a 5xx, a timeout or a network error. */
  retries: number;
  /** Milliseconds spent waiting before retries. */
  waitedMs: number;
}

/** Returns zeroed request counters. */
export function createRequestStats(): RequestStats {
  return { requests: 0, cached: 0, retries: 0, waitedMs: 0 };
}

/** Supplies the `Authorization` header and drops it when the service returns 401. */
export interface Authorizer {
  /** Returns the header value, such as `Bearer …`, fetching a token when needed. */
  header(): Promise<string>;
  /** Forgets the current token, so the next `header()` fetches a new one. */
  invalidate(): void;
}

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Service name for messages and cache keys, such as `Spotify`. */
  service: string;
  /** Base URL that request paths are appended to, such as `https://api.spotify.com/v1`. */
  baseUrl: string;
  /** Response cache; default none. */
  cache?: ResponseCache;
  /** Event sink for retries, waits and request logs; default ignores them. */
  onEvent?: OnEvent;
  /** Counters to add to; default a new set. */
  stats?: RequestStats;
  /** Maximum wait before a retry, in milliseconds; a longer `Retry-After` fails at once. Default 300000 (5 minutes). */
  maxWaitMs?: number;
  /** Retries of one request after 429, 5xx, timeouts and network errors; default 6. */
  maxRetries?: number;
  /** First backoff wait when no `Retry-After` is given, in milliseconds, doubled on each retry; default 1000. */
  backoffBaseMs?: number;
  /** Largest backoff wait, in milliseconds; default 60000. */
  backoffMaxMs?: number;
  /**
   * Client-side limit on request starts per second; default 5. NOTE: Spotify
   * publishes no numbers for its rolling 30-second window; 5 per second is a
   * cautious guess, not a documented limit.
   */
  requestsPerSecond?: number;
  /** Time allowed for one request, response body included, in milliseconds; default 30000. */
  timeoutMs?: number;
  /** Bearer-token source; default none (no `Authorization` header). */
  authorizer?: Authorizer;
  /** Uniform random numbers in [0, 1) for the backoff jitter; default `Math.random`. */
  random?: () => number;
}

/** One request. */
export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** Path and query relative to the base URL, such as `/albums?ids=…`. */
  path: string;
  /** Extra headers; they are never logged nor cached. */
  headers?: Record<string, string>;
  /** Form body of a POST. */
  form?: URLSearchParams;
  /** Store and reuse the response; default true for GET, false for POST. */
  cache?: boolean;
}

/** A final response: 2xx, or a 400, 403 or 404 the caller decides about. */
export interface HttpResponse {
  status: number;
  body: unknown;
  fromCache: boolean;
}

/** Statuses returned to the caller (and cached) instead of retried or raised. */
const FINAL_STATUSES = new Set([400, 403, 404]);

/** Sends requests to one service with retries, waits, a rate limit and a cache. */
export class HttpClient {
  readonly service: string;
  readonly stats: RequestStats;
  private readonly options: HttpClientOptions;
  private readonly baseUrl: string;
  private readonly limiter: RateLimiter;
  private readonly onEvent: OnEvent;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.service = options.service;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.stats = options.stats ?? createRequestStats();
    this.limiter = new RateLimiter(options.requestsPerSecond ?? 5);
    this.onEvent = options.onEvent ?? ignoreEvents;
  }

  /** Sends a GET and returns its final response (from the cache when stored there). */
  get(path: string): Promise<HttpResponse> {
    return this.request({ method: 'GET', path });
  }

  /**
   * Sends a request, retrying 408, 429, 5xx, timeouts and network errors,
   * and renewing the token once on 401. Returns 2xx, 400, 403 and 404
   * responses (and 401 when no token is used). Raises a {@link JobError} for
   * anything else or when retries run out.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method ?? 'GET';
    const useCache = (request.cache ?? method === 'GET') && this.options.cache !== undefined;
    const key = `${this.service} ${method} ${request.path}`;
    const operation = `${method} ${shorten(request.path)}`;

    if (useCache) {
      const cached = await this.options.cache!.get(key);
      if (cached) {
        this.stats.cached += 1;
        this.onEvent({ type: 'debug', message: `${this.service} ${operation} -> ${cached.status} (cached)` });
        return { status: cached.status, body: cached.body, fromCache: true };
      }
    }

    const maxRetries = this.options.maxRetries ?? 6;
    let renewedToken = false;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.attempt(method, request, operation);
      let reason: string;
      let waitMs: number | undefined;

      if (outcome.kind === 'response') {
        const { status, body, retryAfterMs } = outcome;
        // Without a token to renew, a 401 is the caller's to explain (the token endpoint's bad credentials).
        const final = (status >= 200 && status < 300) || FINAL_STATUSES.has(status) || (status === 401 && !this.options.authorizer);
        if (final) {
          if (useCache) await this.options.cache!.put(key, { status, body });
          return { status, body, fromCache: false };
        }
        if (status === 401 && this.options.authorizer && !renewedToken) {
          // An expired or revoked token: fetch a new one and repeat at once, only once.
          renewedToken = true;
          this.options.authorizer.invalidate();
          attempt -= 1;
          continue;
        }
        if (status === 429 && isQuotaExceeded(body)) {
          throw new JobError(
            `${this.service} returned 429 QUOTA_EXCEEDED for ${operation}: the app's request quota is used up; ` +
              `waiting does not help, try again when the quota resets (responses so far are cached)`,
          );
        }
        if (status !== 408 && status !== 429 && status < 500) {
          throw new JobError(`${this.service} request failed: ${operation} returned ${status}${describeError(body)}`);
        }
        reason = status === 429 ? `429 Too Many Requests` : `${status}${describeError(body)}`;
        waitMs = status === 429 ? retryAfterMs : undefined;
        if (waitMs !== undefined) reason += ` (Retry-After ${formatSeconds(waitMs)})`;
      } else {
        reason = outcome.reason;
      }

      if (attempt >= maxRetries) {
        throw new JobError(`${this.service} request failed after ${attempt + 1} attempts: ${operation}: ${reason}`);
      }
      const wait = waitMs ?? this.backoff(attempt);
      const maxWaitMs = this.options.maxWaitMs ?? 300_000;
      if (wait > maxWaitMs) {
        const source = waitMs !== undefined ? `${this.service} requested a wait of ${formatSeconds(wait)} (Retry-After)` : `the next backoff wait of ${formatSeconds(wait)}`;
        throw new JobError(
          `${source} before retrying ${operation} is longer than --max-wait ${formatSeconds(maxWaitMs)}; ` +
            `run again later (responses so far are cached) or raise --max-wait`,
        );
      }

      this.stats.retries += 1;
      this.stats.waitedMs += wait;
      this.onEvent({ type: 'retry', operation: `${this.service} ${operation}`, attempt: attempt + 1, waitMs: wait, reason });
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async attempt(
    method: string,
    request: HttpRequest,
    operation: string,
  ): Promise<{ kind: 'response'; status: number; body: unknown; retryAfterMs?: number } | { kind: 'failure'; reason: string }> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.options.authorizer) headers.authorization = await this.options.authorizer.header();

    await this.limiter.acquire();
    this.stats.requests += 1;
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    try {
      const response = await fetch(this.baseUrl + request.path, {
        method,
        headers,
        body: request.form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      this.onEvent({ type: 'debug', message: `${this.service} ${operation} -> ${response.status} in ${Date.now() - started} ms` });

      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          // A 2xx whose body is not JSON was cut short or mangled on the way: retry it.
          if (response.ok) return { kind: 'failure', reason: `${response.status} with a body that is not JSON` };
          body = { message: text.slice(0, 200) };
        }
      }
      // Headers.get is case-insensitive, so `retry-after` and `RETRY-AFTER` both match.
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return { kind: 'response', status: response.status, body, retryAfterMs };
    } catch (error) {
      const reason = describeFailure(error, timeoutMs);
      this.onEvent({ type: 'debug', message: `${this.service} ${operation} failed: ${reason}` });
      return { kind: 'failure', reason };
    }
  }

  /** Exponential backoff with jitter: half the doubled wait fixed, half random. */
  private backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 1000;
    const cap = this.options.backoffMaxMs ?? 60_000;
    const ceiling = Math.min(cap, base * 2 ** attempt);
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }
}

/** Cuts long queries (lists of 100 ids) for messages; cache keys keep the whole path. */
function shorten(path: string): string {
  return path.length <= 160 ? path : `${path.slice(0, 157)}...`;
}

function isQuotaExceeded(body: unknown): boolean {
  return JSON.stringify(body ?? null).includes('QUOTA_EXCEEDED');
}

/** Returns ` (message)` from the error shapes of the Spotify Web API, its accounts service and ReccoBeats. */
export function describeError(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (error && typeof error === 'object') {
    const message = (error as Record<string, unknown>).message;
    return typeof message === 'string' && message !== '' ? ` (${message})` : '';
  }
  if (typeof error === 'string') {
    const description = record.error_description;
    return typeof description === 'string' ? ` (${error}: ${description})` : ` (${error})`;
  }
  return typeof record.message === 'string' ? ` (${record.message})` : '';
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no response within ${formatSeconds(timeoutMs)}`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
