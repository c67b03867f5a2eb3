/**
 * Access to the pinned reference tools (PySpark, scikit-learn, Hyperopt,
 * Optuna, MLflow) installed by `scripts/reference-env.sh` into `.venv-reference`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './shared-data.js';

/** Path of the reference venv's Python interpreter. */
export const referencePython = join(repoRoot, '.venv-reference', 'bin', 'python');

/** Returns true when the reference venv is installed. */
export function hasReferenceEnv(): boolean {
  return existsSync(referencePython);
}

/** Environment for reference scripts: fixed hash seed so PySpark's default seeds repeat. */
export function referenceScriptEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONHASHSEED: '0', PYSPARK_PYTHON: referencePython };
}
