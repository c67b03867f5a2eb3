/** Registers every command on the program; one file per command. */
import type { Command } from 'commander';
import { registerCollectCommand } from './collect.js';

/** Adds all grooviest commands to `program`. */
export function registerCommands(program: Command): void {
  registerCollectCommand(program);
}
