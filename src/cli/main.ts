/**
 * The grooviest command line: builds the commander program, runs it and maps
 * errors to exit codes (0 success, 1 job failure, 2 invalid usage or input).
 */
import { Command, CommanderError } from 'commander';
import { GrooviestError } from '../errors.js';
import { packageVersion } from '../version.js';
import { registerCommands } from './commands/index.js';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('grooviest')
    .description('Cluster music tracks by their audio features: explore, tune k, track and report.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI with `argv` and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with exit code 0; usage errors with 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (error instanceof GrooviestError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (debug && error.stack) process.stderr.write(error.stack + '\n');
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
    else process.stderr.write('(run again with --debug for the stack trace)\n');
    return 1;
  }
}
