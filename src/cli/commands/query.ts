/** `grooviest query`: SQL over the loaded `tracks` table. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { formatOf } from '../../frame/input/resolve.js';
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
    const statement = sql.trim().replace(/;\s*$/, '');
    if (statement === '') throw new InputError('empty SQL; pass a query such as "SELECT artist, count(*) FROM tracks GROUP BY artist"');
    if (flags.out) {
      const kind = formatOf(flags.out);
      if (!kind || kind.gzip) throw new InputError(`invalid --out ${flags.out} (use a .parquet, .csv or .json name)`);
      const target = resolve(flags.out);
      if ((flags.input ?? []).some((input) => resolve(input) === target)) {
        throw new InputError(`--out ${flags.out} is also an --input; choose another output file so the input is not overwritten`);
      }
    }
    const frame = await loadFromFlags(flags, context);
    try {
      if (flags.out) {
        const result = await frame.sql(`SELECT count(*) AS n FROM (${statement}) AS result`);
        await frame.writeQuery(flags.out, statement);
        const rows = Number(result.rows[0].n);
        context.notice(`wrote ${rows} row${rows === 1 ? '' : 's'} to ${flags.out}`);
        return;
      }
      context.printTable(await frame.sql(statement));
    } finally {
      await frame.close();
    }
  });
}
