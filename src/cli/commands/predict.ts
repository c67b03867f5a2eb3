/** `grooviest predict`: scores tracks with a saved model. */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { formatOf } from '../../frame/input/resolve.js';
import type { VectorAssembler } from '../../ml/feature/vector-assembler.js';
import { STAGE_FILE, loadModel } from '../../ml/persistence.js';
import { PipelineModel } from '../../ml/pipeline.js';
import { tableFromDataset } from '../../ml/table.js';
import { addCommonOptions, createContext, type CommonFlags } from '../context.js';
import { addInputOptions, loadFromFlags, type InputFlags } from '../load-tracks.js';

interface PredictFlags extends CommonFlags, InputFlags {
  model: string;
  out?: string;
  handleInvalid: 'error' | 'skip' | 'keep';
}

/** Registers `grooviest predict`. */
export function registerPredictCommand(program: Command): void {
  const command = program
    .command('predict')
    .description('Assign tracks to the clusters of a saved model (the model/ folder of a run).')
    .requiredOption('--model <dir>', 'saved pipeline model folder, e.g. grooviest-out/<run id>/model, or the run folder that contains it')
    .option('-o, --out <file>', 'write id, artist, name and cluster to a Parquet, CSV or JSON file instead of printing them')
    .addOption(new Option('--handle-invalid <rule>', 'null or NaN features: error, or skip the row (keep, Spark\'s third rule, fails on them too: KMeans cannot cluster NaN)').choices(['error', 'skip', 'keep']).default('error'));
  addInputOptions(command);
  addCommonOptions(command);

  command.action(async (flags: PredictFlags) => {
    const context = createContext(flags);
    if (flags.out) {
      const kind = formatOf(flags.out);
      if (!kind || kind.gzip) throw new InputError(`invalid --out ${flags.out} (use a .parquet, .csv or .json name)`);
      if ((flags.input ?? []).some((input) => resolve(input) === resolve(flags.out!))) {
        throw new InputError(`--out ${flags.out} is also an --input; choose another output file so the input is not overwritten`);
      }
    }
    // A run's output folder keeps the model in model/, so the run folder is accepted too.
    const modelDir = !existsSync(join(flags.model, STAGE_FILE)) && existsSync(join(flags.model, 'model', STAGE_FILE)) ? join(flags.model, 'model') : flags.model;
    const model = await loadModel(modelDir);
    if (!(model instanceof PipelineModel)) throw new InputError(`invalid --model ${flags.model}: it contains a ${model.className}, not a pipeline model saved by grooviest run`);
    const assembler = model.stage<VectorAssembler>('VectorAssembler');
    if (!assembler) throw new InputError(`invalid --model ${flags.model}: the pipeline has no VectorAssembler, so its feature columns are unknown`);
    const features = assembler.params.inputCols;

    const frame = await loadFromFlags(flags, context);
    try {
      const columns = await frame.columns();
      const missing = features.filter((name) => !columns.includes(name));
      if (missing.length > 0) {
        throw new InputError(`the model needs feature column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the input lacks (it has ${columns.join(', ')}); map them with --column`);
      }
      const dataset = await frame.toDataset(features, flags.handleInvalid, context.renderer.onEvent);
      const predictions = model.transform(tableFromDataset(dataset)).ints('prediction').values;
      await frame.registerColumns('predictions', dataset.rowPositions!, ['id', 'artist', 'name'], { cluster: predictions });
      const query = 'SELECT id, artist, name, cluster FROM predictions';
      if (flags.out) {
        await frame.writeQuery(flags.out, query);
        context.notice(`wrote ${predictions.length} prediction${predictions.length === 1 ? '' : 's'} to ${flags.out}`);
      } else {
        context.printTable(await frame.sql(query));
      }
    } finally {
      await frame.close();
    }
  });
}
