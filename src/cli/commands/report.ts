/** `grooviest report`: rebuilds a run's HTML report from its saved report data. */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import type { ReportData } from '../../report/report-data.js';
import { writeReport } from '../../report/write-report.js';
import { LocalStore, resolveTrackingSettings } from '../../tracking/index.js';
import { addCommonOptions, createContext, type CommonFlags } from '../context.js';

interface ReportFlags extends CommonFlags {
  trackingDir?: string;
  outDir?: string;
}

/** Returns the output folder a run recorded in its `grooviest.out_dir` tag. */
function outDirOfRun(trackingDir: string, runId: string): string {
  const store = LocalStore.open(trackingDir);
  try {
    const id = store.resolveRunId(runId);
    const outDir = store.getRun(id).tags.find((tag) => tag.key === 'grooviest.out_dir')?.value;
    if (!outDir) throw new InputError(`run ${runId} has no output folder recorded; pass --out-dir`);
    return outDir;
  } finally {
    store.close();
  }
}

/** Registers `grooviest report`. */
export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description('Rebuild report.html (and its charts) of a finished run from its report-data.json.')
    .argument('<run-id>', 'id (or unique prefix) of the parent run, as printed by grooviest run')
    .option('--tracking-dir <dir>', 'folder of the local tracking store (default ./.grooviest)')
    .option('--out-dir <dir>', "the run's output folder, when it was moved");
  addCommonOptions(command);

  command.action(async (runId: string, flags: ReportFlags) => {
    const context = createContext(flags);
    const outDir = flags.outDir ?? outDirOfRun(resolveTrackingSettings({ trackingDir: flags.trackingDir }).trackingDir, runId);
    const dataPath = join(outDir, 'report-data.json');
    if (!existsSync(dataPath)) throw new InputError(`no report-data.json in ${outDir}; the run did not finish, or pass the right --out-dir`);
    const data = JSON.parse(readFileSync(dataPath, 'utf8')) as ReportData;
    // A reused --out-dir contains a later run's outputs, so that run's report is not rebuilt under this run's id.
    if (flags.outDir === undefined && data.runId && !data.runId.startsWith(runId) && !runId.startsWith(data.runId)) {
      throw new InputError(`${outDir} contains the outputs of run ${data.runId}, which replaced those of run ${runId}, so its report cannot be rebuilt; its artifacts are still in the tracking store`);
    }
    const path = await writeReport(data, outDir);
    if (context.format === 'json') context.printJson({ report: path });
    else process.stdout.write(path + '\n');
  });
}
