/** Directories grooviest writes to, following the XDG base-directory convention. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Returns the cache directory: `$XDG_CACHE_HOME/grooviest`, default `~/.cache/grooviest`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'grooviest');
}

/** Returns the user config directory: `$XDG_CONFIG_HOME/grooviest`, default `~/.config/grooviest`. */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'grooviest');
}

/** Returns the default local tracking directory, `./.grooviest` under the working directory. */
export function defaultTrackingDir(cwd: string = process.cwd()): string {
  return resolve(cwd, '.grooviest');
}
