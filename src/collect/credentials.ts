/**
 * Sources of the Spotify client id and secret: the environment
 * (`SPOTIFY_CLIENT_ID`, `SPOTIFY_CLIENT_SECRET`) or, when unset, the user
 * config file `config.json` in the user config directory
 * (`~/.config/grooviest/` by default). Flags never carry them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { userConfigDir } from '../paths.js';
import type { SpotifyCredentials } from './spotify/auth.js';

/** Returns the path of the user config file that may hold credentials. */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDir(env), 'config.json');
}

/**
 * Reads the Spotify credentials from the environment, else from the user
 * config file (`{"spotify": {"client_id": "…", "client_secret": "…"}}`).
 * Raises an {@link InputError} naming both places when neither has them.
 */
export async function loadSpotifyCredentials(env: NodeJS.ProcessEnv = process.env): Promise<SpotifyCredentials> {
  const clientId = env.SPOTIFY_CLIENT_ID;
  const clientSecret = env.SPOTIFY_CLIENT_SECRET;
  if (clientId && clientSecret) return { clientId, clientSecret };

  const path = userConfigFile(env);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let config: { spotify?: { client_id?: unknown; client_secret?: unknown } };
    try {
      config = JSON.parse(text);
    } catch {
      // The parser's message may quote the file's text, which contains the secret, so it is left out.
      throw new InputError(`invalid JSON in ${path} (expected {"spotify": {"client_id": "…", "client_secret": "…"}})`);
    }
    const id = config.spotify?.client_id;
    const secret = config.spotify?.client_secret;
    if (typeof id === 'string' && id !== '' && typeof secret === 'string' && secret !== '') {
      return { clientId: id, clientSecret: secret };
    }
  }

  throw new InputError(
    `missing Spotify credentials: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET, or write ` +
      `{"spotify": {"client_id": "…", "client_secret": "…"}} to ${path}`,
  );
}
