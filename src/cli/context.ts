/**
 * The common flags every command takes (`--format`, `--json`, `--quiet`,
 * `--debug`) and the per-invocation context built from them.
 */
import { Command, Option } from 'commander';
import { createEventRenderer, type EventRenderer, type Verbosity } from './events.js';
import { parseFormat, renderJson, renderResult, type OutputFormat, type ResultTable } from './output.js';

/** Values of the common flags after parsing. */
export interface CommonFlags {
  format?: string;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** The per-invocation state a command uses to report progress and print its result. */
export interface CommandContext {
  format: OutputFormat;
  verbosity: Verbosity;
  renderer: EventRenderer;
  /** Prints a tabular result on stdout in the chosen format. */
  printTable(table: ResultTable): void;
  /** Prints any JSON-serialisable value on stdout (used for `--json`). */
  printJson(value: unknown): void;
  /** Prints a notice on stderr unless `--quiet`. */
  notice(message: string): void;
}

/** Adds the common flags to a command. */
export function addCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'result format: table, csv or json').default('table'))
    .option('--json', 'short for --format json')
    .option('--quiet', 'print errors only')
    .option('--debug', 'print stack traces and request logs (never secrets)');
}

/** Builds the context of one invocation from its parsed flags. */
export function createContext(flags: CommonFlags): CommandContext {
  const format = flags.json ? 'json' : parseFormat(flags.format ?? 'table');
  let verbosity: Verbosity = 'normal';
  if (flags.quiet) verbosity = 'quiet';
  if (flags.debug) verbosity = 'debug';
  const renderer = createEventRenderer({ verbosity });
  return {
    format,
    verbosity,
    renderer,
    printTable(table) {
      renderer.close();
      process.stdout.write(renderResult(table, format) + '\n');
    },
    printJson(value) {
      renderer.close();
      process.stdout.write(renderJson(value) + '\n');
    },
    notice(message) {
      if (verbosity !== 'quiet') process.stderr.write(message + '\n');
    },
  };
}

/** Collects a repeatable option's values into an array (also for variadic options, whose values arrive one by one). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
