/**
 * ParamGridBuilder: the Cartesian product of param values, as Spark ML builds
 * it. An empty builder gives one empty param map.
 */
import { InputError } from '../../errors.js';
import type { ParamMap, PipelineStage } from '../stage.js';

/** Builds a grid of param maps for a CrossValidator. */
export class ParamGridBuilder {
  private readonly axes: { uid: string; param: string; values: unknown[] }[] = [];

  /** Adds a param of `stage` with the values to try; returns the builder. */
  addGrid(stage: PipelineStage, param: string, values: unknown[]): this {
    if (!Array.isArray(values) || values.length === 0) throw new InputError(`invalid grid for ${param}: no values (give at least one value)`);
    const existing = this.axes.find((axis) => axis.uid === stage.uid && axis.param === param);
    if (existing) existing.values = values;
    else this.axes.push({ uid: stage.uid, param, values });
    return this;
  }

  /** Adds fixed values for params of `stage`; returns the builder. */
  baseOn(stage: PipelineStage, values: Record<string, unknown>): this {
    for (const [param, value] of Object.entries(values)) this.addGrid(stage, param, [value]);
    return this;
  }

  /** Returns every combination, the first axis varying slowest. */
  build(): ParamMap[] {
    let maps: ParamMap[] = [[]];
    for (const axis of this.axes) {
      const next: ParamMap[] = [];
      for (const map of maps) for (const value of axis.values) next.push([...map, { uid: axis.uid, param: axis.param, value }]);
      maps = next;
    }
    return maps;
  }
}
