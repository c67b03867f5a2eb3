/**
 * MLflow's limits, checked before anything is stored or sent, so that a local
 * run can always be synced to a server later. The limits are those of MLflow
 * 3.x (`mlflow/utils/validation.py`); lengths count Unicode code points, as
 * Python's `len` does.
 */
import type { OnEvent } from '../contracts/events.js';
import { InputError } from '../errors.js';

/** Maximum length of a param, metric or tag key. */
export const MAX_KEY_LENGTH = 250;
/** Maximum length of a param value. */
export const MAX_PARAM_VALUE_LENGTH = 6000;
/** Maximum length of a tag value. */
export const MAX_TAG_VALUE_LENGTH = 8000;
/** Maximum length of an experiment name. */
export const MAX_EXPERIMENT_NAME_LENGTH = 500;

/** Handling of param and tag values over their limit. */
export interface LengthPolicy {
  /** Cut over-long values to the limit and report a `value-truncated` warning instead of failing; default false. */
  truncate?: boolean;
  onEvent?: OnEvent;
}

// Alphanumerics, underscores, dashes, periods, spaces, colons and slashes, as MLflow allows on POSIX.
const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

function cutToCodePoints(text: string, limit: number): string {
  return Array.from(text).slice(0, limit).join('');
}

// MLflow rejects names that a file system would resolve to another name ("a/../b", "./a", "/a").
function isPathUnique(key: string): boolean {
  if (key.startsWith('/')) return false;
  const segments = key.split('/');
  return key !== '' && !segments.some((segment) => segment === '.' || segment === '..' || segment === '');
}

/** Checks a param, metric or tag key: 1 to 250 characters of MLflow's allowed set, not a relative path. */
export function validateKey(kind: 'param' | 'metric' | 'tag', key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new InputError(`invalid ${kind} key: ${JSON.stringify(key)} (a key must be a non-empty string)`);
  }
  const length = codePointLength(key);
  if (length > MAX_KEY_LENGTH) {
    throw new InputError(`invalid ${kind} key: "${key.slice(0, 40)}..." is ${length} characters (MLflow allows at most ${MAX_KEY_LENGTH})`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw new InputError(
      `invalid ${kind} key: ${JSON.stringify(key)} (keys may contain only letters, digits, underscores, dashes, periods, spaces, colons and slashes)`,
    );
  }
  if (!isPathUnique(key)) {
    throw new InputError(`invalid ${kind} key: ${JSON.stringify(key)} (keys must not start with "/" or contain empty, "." or ".." path segments)`);
  }
}

function limitValue(kind: 'param' | 'tag', key: string, value: string, limit: number, policy: LengthPolicy): string {
  const length = codePointLength(value);
  if (length <= limit) return value;
  if (!policy.truncate) {
    throw new InputError(
      `invalid ${kind} value for "${key}": ${length} characters (MLflow allows at most ${limit}; shorten it or enable truncation)`,
    );
  }
  policy.onEvent?.({
    type: 'warning',
    code: 'value-truncated',
    message: `${kind} "${key}" truncated from ${length} to ${limit} characters (MLflow's limit)`,
    details: { kind, key, length, limit },
  });
  return cutToCodePoints(value, limit);
}

/** Checks a param and returns its stored value: at most 6000 characters, cut only when `policy.truncate` is set. */
export function validateParam(key: string, value: unknown, policy: LengthPolicy = {}): string {
  validateKey('param', key);
  return limitValue('param', key, stringifyValue(value), MAX_PARAM_VALUE_LENGTH, policy);
}

/** Checks a tag and returns its stored value: at most 8000 characters, cut only when `policy.truncate` is set. */
export function validateTag(key: string, value: unknown, policy: LengthPolicy = {}): string {
  validateKey('tag', key);
  return limitValue('tag', key, stringifyValue(value), MAX_TAG_VALUE_LENGTH, policy);
}

/** Checks a metric value: a finite number (MLflow stores NaN and ±Infinity, but they compare and chart badly). */
export function validateMetric(key: string, value: number, step: number, timestamp: number): void {
  validateKey('metric', key);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(`invalid metric value for "${key}": ${String(value)} (metric values must be finite numbers)`);
  }
  if (!Number.isSafeInteger(step)) {
    throw new InputError(`invalid step for metric "${key}": ${String(step)} (a step must be an integer)`);
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new InputError(`invalid timestamp for metric "${key}": ${String(timestamp)} (milliseconds since the Unix epoch)`);
  }
}

/** Checks an experiment name: 1 to 500 characters. */
export function validateExperimentName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InputError(`invalid experiment name: ${JSON.stringify(name)} (give a non-empty name)`);
  }
  if (codePointLength(name) > MAX_EXPERIMENT_NAME_LENGTH) {
    throw new InputError(`invalid experiment name: "${name.slice(0, 40)}..." (MLflow allows at most ${MAX_EXPERIMENT_NAME_LENGTH} characters)`);
  }
}

/** Returns the error for a param logged again with another value; MLflow params never change. */
export function paramConflictError(runId: string, key: string, oldValue: string, newValue: string): InputError {
  const show = (value: string) => JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  return new InputError(
    `param "${key}" of run ${runId} is already ${show(oldValue)} and cannot change to ${show(newValue)} (params are logged once; use a metric or a tag for values that change)`,
  );
}

// Params and tags are strings on the wire; numbers and booleans are written as JavaScript prints them.
function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  return JSON.stringify(value);
}
