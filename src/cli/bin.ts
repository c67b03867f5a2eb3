#!/usr/bin/env node
/** Entry point of the `grooviest` executable. */
import { main } from './main.js';

// A closed pipe (`grooviest … | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
