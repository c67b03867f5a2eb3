/**
 * Tracking settings from flags, environment variables and
 * `grooviest.config.json`, in that order of precedence.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { defaultTrackingDir } from '../paths.js';
import { redactUri } from './uri.js';

/** MLflow's name for the experiment runs go to when none is chosen. */
export const DEFAULT_EXPERIMENT_NAME = 'Default';

/** Resolved tracking settings. */
export interface TrackingSettings {
  /** Folder of the local store; default `./.grooviest`. */
  trackingDir: string;
  /** MLflow server to deliver to; undefined for the local store only. */
  trackingUri?: string;
  /** Experiment new runs go to; default `Default`. */
  experimentName: string;
  /** Cut over-long param and tag values with a warning instead of failing; default false. */
  truncate: boolean;
}

/** Tracking settings given as flags; each overrides the environment and the config file. */
export interface TrackingFlags {
  trackingDir?: string;
  trackingUri?: string;
  experiment?: string;
  truncate?: boolean;
}

/** The `tracking` section of `grooviest.config.json`. */
interface TrackingConfigSection {
  dir?: string;
  uri?: string;
  experiment?: string;
  truncate?: boolean;
}

function readConfigSection(cwd: string): TrackingConfigSection {
  const path = join(cwd, 'grooviest.config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid JSON in ${path}: ${(error as Error).message} (fix the file or remove it)`);
  }

  const section = (parsed as { tracking?: unknown }).tracking;
  if (section === undefined) return {};
  if (typeof section !== 'object' || section === null) {
    throw new InputError(`invalid "tracking" in ${path}: expected an object with dir, uri, experiment or truncate`);
  }

  const typed = section as Record<string, unknown>;
  for (const key of ['dir', 'uri', 'experiment'] as const) {
    if (typed[key] !== undefined && typeof typed[key] !== 'string') {
      throw new InputError(`invalid "tracking.${key}" in ${path}: ${JSON.stringify(typed[key])} (expected a string)`);
    }
  }
  if (typed.uri !== undefined && /\/\/[^/@]+:[^/@]+@/.test(String(typed.uri))) {
    throw new InputError(
      `invalid "tracking.uri" in ${path}: ${redactUri(String(typed.uri))} contains a password (set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD in the environment instead)`,
    );
  }
  return typed as TrackingConfigSection;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Resolves the tracking settings: flags, then `MLFLOW_TRACKING_URI`,
 * `MLFLOW_EXPERIMENT_NAME` and `GROOVIEST_TRACKING_DIR`, then the `tracking`
 * section of `grooviest.config.json` in `cwd`.
 */
export function resolveTrackingSettings(flags: TrackingFlags = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): TrackingSettings {
  const config = readConfigSection(cwd);
  const dir = nonEmpty(flags.trackingDir) ?? nonEmpty(env.GROOVIEST_TRACKING_DIR) ?? nonEmpty(config.dir);
  return {
    trackingDir: dir === undefined ? defaultTrackingDir(cwd) : resolve(cwd, dir),
    trackingUri: nonEmpty(flags.trackingUri) ?? nonEmpty(env.MLFLOW_TRACKING_URI) ?? nonEmpty(config.uri),
    experimentName: nonEmpty(flags.experiment) ?? nonEmpty(env.MLFLOW_EXPERIMENT_NAME) ?? nonEmpty(config.experiment) ?? DEFAULT_EXPERIMENT_NAME,
    truncate: flags.truncate ?? (env.MLFLOW_TRUNCATE_LONG_VALUES !== undefined ? env.MLFLOW_TRUNCATE_LONG_VALUES === 'true' : config.truncate === true),
  };
}
