/**
 * Reuses the work a cross-validation repeats for every trial: fitting a
 * pipeline stage with unchanged params on the same table, and transforming
 * the same table with the same fitted stage. Like scikit-learn's Pipeline
 * `memory`, a Pipeline caches only the stages before its last one; the last
 * stage is what a search varies. Stages are deterministic (seeded), so a
 * cached result equals a new one.
 *
 * Keys are objects, because tables and fitted stages never change after they
 * are made. Weak maps let both be collected when nothing else refers to them.
 */
import type { Estimator, FitOptions, Model } from './stage.js';
import type { Table } from './table.js';

const fits = new WeakMap<Table, Map<string, Model>>();
const statelessOutputs = new WeakMap<Table, Map<string, Table>>();
const fittedOutputs = new WeakMap<Model, WeakMap<Table, Table>>();

/** Returns the key of a stage's work: its class and params, not its uid. */
function paramsKey(stage: Estimator | Model): string {
  const { class: className, params } = stage.toDocument();
  return JSON.stringify([className, params]);
}

/** Returns the value of `key` in `map`, made by `make` and stored on first use. */
export function cachedEntry<K, V>(map: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Fits `stage` on `table`, or returns the model of an earlier fit of the same class and params on the same table. */
export function cachedFit(stage: Estimator, table: Table, options: FitOptions): Model {
  const byStage = cachedEntry(fits, table, () => new Map<string, Model>());
  return cachedEntry(byStage, paramsKey(stage), () => stage.fit(table, options));
}

/**
 * Transforms `table` with `stage`, or returns an earlier output for the same
 * table: of the same fitted model, or of a stateless transformer (such as a
 * VectorAssembler) with the same class and params.
 */
export function cachedTransform(stage: Model, table: Table): Table {
  if (stage.toDocument().data === undefined) {
    const byParams = cachedEntry(statelessOutputs, table, () => new Map<string, Table>());
    return cachedEntry(byParams, paramsKey(stage), () => stage.transform(table));
  }
  const byTable = cachedEntry(fittedOutputs, stage, () => new WeakMap<Table, Table>());
  return cachedEntry(byTable, table, () => stage.transform(table));
}
