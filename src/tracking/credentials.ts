/**
 * Connection details of a tracking server: its REST root and the
 * `Authorization` header, from MLflow's and Databricks' standard environment
 * variables or `~/.databrickscfg`. Secrets are read here and never logged.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseTrackingUri, redactUri } from './uri.js';

/** A resolved connection to an MLflow REST API. */
export interface RestConnection {
  /** Server root, such as `http://127.0.0.1:5000` or `https://adb-1.azuredatabricks.net`. */
  baseUrl: string;
  /** The tracking URI without credentials: safe to print, and the key of sync bookkeeping. */
  displayUri: string;
  /** `databricks` when the server is a Databricks workspace. */
  flavor: 'mlflow' | 'databricks';
  /** Value of the `Authorization` header, if any. Never print it. */
  authorization?: string;
}

function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}

/** Reads one profile of a `.databrickscfg` INI file; returns undefined when the file or profile is missing. */
export function readDatabricksProfile(path: string, profile: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let section: string | undefined;
  const values: Record<string, Record<string, string>> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      values[section] ??= {};
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && section !== undefined) values[section][pair[1].trim()] = pair[2].trim();
  }
  return values[profile];
}

/**
 * Resolves a tracking URI to a connection. For `http(s)://` URIs the header
 * comes from `MLFLOW_TRACKING_TOKEN` (bearer), else `MLFLOW_TRACKING_USERNAME`
 * and `MLFLOW_TRACKING_PASSWORD` (basic), else credentials inside the URI.
 * For `databricks` URIs host and token come from `DATABRICKS_HOST` and
 * `DATABRICKS_TOKEN`, else from the profile in `~/.databrickscfg`
 * (`DATABRICKS_CONFIG_FILE` overrides the path).
 */
export function resolveConnection(uri: string, env: NodeJS.ProcessEnv = process.env): RestConnection {
  const target = parseTrackingUri(uri);
  const displayUri = redactUri(uri.trim()).replace(/\/+$/, '');

  if (target.kind === 'rest') {
    let authorization: string | undefined;
    if (env.MLFLOW_TRACKING_TOKEN) authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
    else if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD) {
      authorization = basic(env.MLFLOW_TRACKING_USERNAME, env.MLFLOW_TRACKING_PASSWORD);
    } else if (target.username !== undefined) authorization = basic(target.username, target.password ?? '');
    return { baseUrl: target.baseUrl, displayUri, flavor: 'mlflow', authorization };
  }

  // NOTE: the Databricks path is checked against stand-in servers only, never a real workspace.
  let host = target.profile === 'DEFAULT' ? env.DATABRICKS_HOST : undefined;
  let token = target.profile === 'DEFAULT' ? env.DATABRICKS_TOKEN : undefined;
  if (!host || !token) {
    const configPath = env.DATABRICKS_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.databrickscfg');
    const profile = readDatabricksProfile(configPath, target.profile);
    host = host || profile?.host;
    token = token || profile?.token;
  }
  if (!host || !token) {
    throw new InputError(
      `missing Databricks credentials for ${displayUri} (set DATABRICKS_HOST and DATABRICKS_TOKEN, or add host and token to profile [${target.profile}] of ~/.databrickscfg)`,
    );
  }
  const baseUrl = (/^https?:\/\//.test(host) ? host : `https://${host}`).replace(/\/+$/, '');
  return { baseUrl, displayUri, flavor: 'databricks', authorization: `Bearer ${token}` };
}
