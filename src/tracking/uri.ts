/**
 * Tracking URIs: which store a URI selects, where its REST API lives, and how
 * to print it without the credentials some users put inside it.
 */
import { InputError } from '../errors.js';

/** A parsed tracking URI. */
export type TrackingTarget =
  | {
      kind: 'rest';
      /** Server root without credentials or trailing slash, such as `http://127.0.0.1:5000`. */
      baseUrl: string;
      /** User name and password written into the URI (`http://user:pass@host`), used as basic auth. */
      username?: string;
      password?: string;
    }
  | {
      kind: 'databricks';
      /** Profile of `~/.databrickscfg` (`databricks://PROFILE`); `DEFAULT` when absent. */
      profile: string;
    };

/** Removes user names, passwords and token-like query values from a URI, for logs and messages. */
export function redactUri(uri: string): string {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return uri.replace(/\/\/[^/@]*@/, '//');
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/token|secret|password|key|auth/i.test(name)) parsed.searchParams.set(name, 'REDACTED');
  }
  const text = parsed.toString();
  return text.endsWith('/') && !uri.endsWith('/') ? text.slice(0, -1) : text;
}

/** Parses a tracking URI: `http(s)://…` for an MLflow server, `databricks[://PROFILE]` for Databricks. */
export function parseTrackingUri(uri: string): TrackingTarget {
  const trimmed = uri.trim();
  if (trimmed === 'databricks' || trimmed.startsWith('databricks://')) {
    const profile = trimmed === 'databricks' ? 'DEFAULT' : trimmed.slice('databricks://'.length).replace(/\/+$/, '');
    return { kind: 'databricks', profile: profile === '' ? 'DEFAULT' : profile };
  }

  if (/^(sqlite|postgresql|mysql|mssql)(\+\w+)?:/.test(trimmed)) {
    throw new InputError(
      `invalid tracking URI: ${redactUri(trimmed)} (grooviest talks to MLflow over HTTP; serve that database with ` +
        `\`mlflow server --backend-store-uri ${redactUri(trimmed)} --host 127.0.0.1 --port 5000\` and set MLFLOW_TRACKING_URI=http://127.0.0.1:5000, ` +
        `or leave the URI unset to use the local store)`,
    );
  }
  if (trimmed.startsWith('file:') || trimmed.startsWith('/') || trimmed.startsWith('.') || !/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    throw new InputError(
      `invalid tracking URI: ${redactUri(trimmed)} (MLflow's file store is deprecated and grooviest cannot write it; serve it with ` +
        `\`mlflow server --backend-store-uri sqlite:///mlflow.db --host 127.0.0.1 --port 5000\` and set MLFLOW_TRACKING_URI=http://127.0.0.1:5000, ` +
        `or use --tracking-dir for grooviest's local store)`,
    );
  }

  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new InputError(`invalid tracking URI: ${redactUri(trimmed)} (expected http://host:port or https://host)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(`invalid tracking URI: ${redactUri(trimmed)} (supported: http://, https://, databricks, databricks://PROFILE)`);
  }
  const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const baseUrl = parsed.toString().replace(/\/+$/, '');
  return { kind: 'rest', baseUrl, username, password };
}
