/** Chooses a frame engine by name. */
import { InputError } from '../errors.js';
import type { Engine } from './engine.js';
import { LocalEngine } from './local/local-engine.js';

/** Engine names the CLI accepts. */
export type EngineName = 'local' | 'spark';

/** Returns the engine called `name`. */
export function openEngine(name: string = 'local'): Engine {
  switch (name) {
    case 'local':
      return new LocalEngine();
    case 'spark':
      // TODO: the Spark Connect engine (Spark SQL for tables, MLlib stages on the cluster) plugs in here.
      throw new InputError('engine "spark" is not available yet; use --engine local');
    default:
      throw new InputError(`invalid engine: ${name} (use local)`);
  }
}
