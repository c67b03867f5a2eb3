/** Registers every command on the program; one file per command. */
import type { Command } from 'commander';
import { registerCollectCommand } from './collect.js';
import { registerExploreCommand } from './explore.js';
import { registerPredictCommand } from './predict.js';
import { registerQueryCommand } from './query.js';
import { registerReportCommand } from './report.js';
import { registerRunCommand } from './run.js';
import { registerRunsCommand } from './runs.js';

/** Adds all grooviest commands to `program`. */
export function registerCommands(program: Command): void {
  registerCollectCommand(program);
  registerExploreCommand(program);
  registerQueryCommand(program);
  registerRunCommand(program);
  registerPredictCommand(program);
  registerReportCommand(program);
  registerRunsCommand(program);
}
