/**
 * Spotify's client-credentials flow: POST `grant_type=client_credentials`
 * with the app's id and secret (HTTP Basic) to the accounts service, and keep
 * the bearer token until shortly before it expires. There is no refresh
 * token, so renewal is a new token request.
 */
import { JobError } from '../../errors.js';
import { describeError, type Authorizer, type HttpClient } from '../http-client.js';

/** The app's client id and secret. */
export interface SpotifyCredentials {
  clientId: string;
  clientSecret: string;
}

/** Options of {@link ClientCredentialsAuth}. */
export interface ClientCredentialsOptions {
  /** Client for the accounts service (base URL such as `https://accounts.spotify.com`). */
  accounts: HttpClient;
  /** Clock in milliseconds; default `Date.now`. */
  now?: () => number;
}

/**
 * Bearer tokens from the client-credentials flow. A token is renewed when
 * less than a minute (or half its lifetime, if shorter) remains, and on
 * request after a 401. The secret is kept in a private field and never
 * appears in messages.
 */
export class ClientCredentialsAuth implements Authorizer {
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #accounts: HttpClient;
  readonly #now: () => number;
  #token: string | undefined;
  #renewAt = 0;
  /** Tokens fetched so far. */
  tokensFetched = 0;

  constructor(credentials: SpotifyCredentials, options: ClientCredentialsOptions) {
    this.#clientId = credentials.clientId;
    this.#clientSecret = credentials.clientSecret;
    this.#accounts = options.accounts;
    this.#now = options.now ?? Date.now;
  }

  /** Returns `Bearer <token>`, fetching a new token when none is held or it is about to expire. */
  async header(): Promise<string> {
    if (this.#token === undefined || this.#now() >= this.#renewAt) await this.fetchToken();
    return `Bearer ${this.#token}`;
  }

  /** Drops the held token, so the next `header()` fetches a new one. */
  invalidate(): void {
    this.#token = undefined;
  }

  private async fetchToken(): Promise<void> {
    const basic = Buffer.from(`${this.#clientId}:${this.#clientSecret}`).toString('base64');
    const response = await this.#accounts.request({
      method: 'POST',
      path: '/api/token',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      form: new URLSearchParams({ grant_type: 'client_credentials' }),
      cache: false,
    });

    const body = response.body as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (response.status !== 200 || typeof body?.access_token !== 'string') {
      const hint =
        body?.error === 'invalid_client' || response.status === 400 || response.status === 401
          ? '; check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (or the spotify entry of the user config file)'
          : '';
      throw new JobError(`Spotify rejected the token request with ${response.status}${describeError(body)}${hint}`);
    }

    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    const marginMs = Math.min(60_000, lifetimeMs / 2);
    this.#token = body.access_token;
    this.#renewAt = this.#now() + lifetimeMs - marginMs;
    this.tokensFetched += 1;
  }
}
