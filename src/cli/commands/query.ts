/** `grooviest query`: SQL over the loaded `tracks` table. */
import type { Command } from 'commander';
import { addCommonOptions, createContext, type CommonFlags } from '../context.js';
import { addInputOptions, loadFromFlags, type InputFlags } from '../load-tracks.js';

interface QueryFlags extends CommonFlags, InputFlags {
  out?: string;
}

/** Registers `grooviest query`. */
export function registerQueryCommand(program: Command): void {
  const command = program
    .command('query')
    .description('Run SQL over the loaded tracks, available as the table "tracks".')
    .argument('<sql>', 'SQL query, e.g. "SELECT artist, count(*) FROM tracks GROUP BY artist"')
    .option('-o, --out <file>', 'write the result to a Parquet, CSV or JSON file (by extension) instead of printing it');
  addInputOptions(command);
  addCommonOptions(command);

  command.action(async (sql: string, flags: QueryFlags) => {
    const context = createContext(flags);
    const frame = await loadFromFlags(flags, context);
    try {
      if (flags.out) {
        const result = await frame.sql(`SELECT count(*) AS n FROM (${sql.replace(/;\s*$/, '')}) AS result`);
        await frame.writeQuery(flags.out, sql.replace(/;\s*$/, ''));
        context.notice(`wrote ${String(result.rows[0].n)} rows to ${flags.out}`);
        return;
      }
      context.printTable(await frame.sql(sql));
    } finally {
      await frame.close();
    }
  });
}
