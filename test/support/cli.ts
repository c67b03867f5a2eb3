/** Runs the built `grooviest` executable as a user would, in a child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './shared-data.js';

/** Exit code and output of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Path of the executable `npm run build` makes: the bundle that package.json's `bin` names. */
export const cliPath = join(repoRoot, 'dist', 'bundle', 'grooviest.js');

/** Returns a new temporary directory. */
export function temporaryDir(prefix = 'grooviest-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `grooviest ...args` with its own cache directory unless `env` sets one. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const env = { ...process.env, XDG_CACHE_HOME: temporaryDir('grooviest-cache-'), ...options.env };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
