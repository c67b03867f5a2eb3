/**
 * HTTP requests to a tracking server with the retry rules of MLflow's Python
 * client. HTTP 408, 429, 500, 502, 503 and 504, connection errors and timeouts
 * are retried with exponential backoff and jitter. Other failures are raised
 * at once with MLflow's `error_code` and message.
 */
import type { OnEvent } from '../../contracts/events.js';
import { JobError } from '../../errors.js';
import { exchange, type TransportResponse } from './transport.js';

/** Retry settings of a tracking server connection. */
export interface RetryPolicy {
  /** Retries after the first attempt; default 5 (`MLFLOW_HTTP_REQUEST_MAX_RETRIES` overrides). */
  maxRetries: number;
  /** Delay before the first retry in milliseconds, doubled on each retry; default 500. */
  baseDelayMs: number;
  /** Upper bound of one delay in milliseconds; default 15000. */
  maxDelayMs: number;
  /** Timeout of one attempt in milliseconds; default 120000 (`MLFLOW_HTTP_REQUEST_TIMEOUT`, in seconds, overrides). */
  timeoutMs: number;
}

/** HTTP statuses MLflow's Python client retries. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Returns the default retry policy, with MLflow's environment variables applied. */
export function defaultRetryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const retries = Number(env.MLFLOW_HTTP_REQUEST_MAX_RETRIES);
  const timeoutSeconds = Number(env.MLFLOW_HTTP_REQUEST_TIMEOUT);
  return {
    maxRetries: Number.isInteger(retries) && retries >= 0 && env.MLFLOW_HTTP_REQUEST_MAX_RETRIES !== undefined ? retries : 5,
    baseDelayMs: 500,
    maxDelayMs: 15_000,
    timeoutMs: Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : 120_000,
  };
}

/** A failed request to a tracking server: HTTP status, MLflow's `error_code` and message. */
export class MlflowRestError extends JobError {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** MLflow's error code, such as `INVALID_PARAMETER_VALUE`; `NETWORK_ERROR` when no response arrived. */
  readonly errorCode: string;
  /** True for failures that were retried until the retries ran out. */
  readonly transient: boolean;

  constructor(operation: string, status: number, errorCode: string, detail: string, transient: boolean, options?: { cause?: unknown }) {
    const where = status === 0 ? '' : ` (HTTP ${status})`;
    super(`${operation} failed${where}: ${errorCode}: ${detail}`, options);
    this.status = status;
    this.errorCode = errorCode;
    this.transient = transient;
  }
}

/** One request: method, URL path below the server root, body. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with query, such as `/api/2.0/mlflow/runs/get?run_id=…`. */
  path: string;
  /** JSON body, serialised here. */
  json?: unknown;
  /** Raw body (artifact uploads). */
  body?: Uint8Array;
}

/** Sends requests to one server with retries; see {@link RetryPolicy}. */
export class HttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly authorization: string | undefined,
    private readonly policy: RetryPolicy,
    private readonly onEvent: OnEvent,
  ) {}

  /** Sends a request and returns the response body; throws {@link MlflowRestError} on failure. */
  async send(request: HttpRequest): Promise<Uint8Array> {
    const operation = `${request.method} ${request.path.split('?')[0]}`;
    for (let attempt = 0; ; attempt += 1) {
      let transientReason: string;
      let retryAfterMs: number | undefined;
      try {
        const response = await this.attempt(request);
        const bytes = response.body;
        this.onEvent({ type: 'debug', message: `${request.method} ${this.baseUrl}${request.path.split('?')[0]} -> HTTP ${response.status}` });
        if (response.status >= 200 && response.status < 300) return bytes;
        const { errorCode, message } = parseError(response.status, bytes);
        if (!TRANSIENT_STATUSES.has(response.status)) throw new MlflowRestError(operation, response.status, errorCode, message, false);
        transientReason = `HTTP ${response.status} ${errorCode}`;
        retryAfterMs = parseRetryAfter(response.header('retry-after'));
        if (attempt >= this.policy.maxRetries) throw new MlflowRestError(operation, response.status, errorCode, message, true);
      } catch (error) {
        if (error instanceof MlflowRestError) throw error;
        const reason = describeNetworkError(error);
        if (attempt >= this.policy.maxRetries) {
          // The host names a mistyped address; URL's host never includes user:password.
          const where = `${reason} at ${new URL(this.baseUrl).host}`;
          throw new MlflowRestError(operation, 0, 'NETWORK_ERROR', `${where} (${attempt + 1} attempts)`, true, { cause: error });
        }
        transientReason = reason;
      }

      const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt);
      // Jitter: a random delay between half and all of the backoff spreads out clients that failed together.
      const waitMs = Math.round(retryAfterMs ?? backoff * (0.5 + Math.random() * 0.5));
      this.onEvent({ type: 'retry', operation, attempt: attempt + 1, waitMs, reason: transientReason });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** Sends a JSON request and parses the JSON response. */
  async json<T>(request: HttpRequest): Promise<T> {
    const bytes = await this.send(request);
    const text = new TextDecoder().decode(bytes);
    return (text.trim() === '' ? {} : JSON.parse(text)) as T;
  }

  private async attempt(request: HttpRequest): Promise<TransportResponse> {
    const headers: Record<string, string> = {};
    if (this.authorization) headers.Authorization = this.authorization;
    let body: string | Uint8Array | undefined;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body !== undefined) {
      headers['Content-Type'] = 'application/octet-stream';
      body = request.body;
    }
    return exchange(this.baseUrl + request.path, { method: request.method, headers, body, timeoutMs: this.policy.timeoutMs });
  }
}

function parseError(status: number, bytes: Uint8Array): { errorCode: string; message: string } {
  const text = new TextDecoder().decode(bytes);
  try {
    const parsed = JSON.parse(text) as { error_code?: string; message?: string };
    if (parsed.error_code || parsed.message) return { errorCode: parsed.error_code ?? `HTTP_${status}`, message: parsed.message ?? text };
  } catch {
    // The body is not JSON, such as a proxy's HTML error page.
  }
  return { errorCode: `HTTP_${status}`, message: text.slice(0, 200).trim() || 'no details' };
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.min(date - Date.now(), 60_000));
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const code = (error as { code?: string }).code;
    if (code) return `connection error ${code}`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `connection error ${cause.code}`;
    if (cause?.message) return cause.message;
    return error.message;
  }
  return String(error);
}
