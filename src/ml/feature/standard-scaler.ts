/**
 * StandardScaler: centres and scales each vector slot with the mean and the
 * corrected sample standard deviation (denominator n − 1) of the training
 * rows, as Spark ML does. A zero-variance slot is multiplied by 0, so its
 * output is 0 rather than a division by zero; with one row every variance
 * is 0.
 */
import { InputError } from '../../errors.js';
import { nonEmptyString, resolveParams, type ParamSpecs } from '../param.js';
import { saveStage } from '../persistence.js';
import { newUid, overridesFor, type Estimator, type Model, type ParamMap, type StageDocument } from '../stage.js';
import type { Table } from '../table.js';

/** Params of {@link StandardScaler} and {@link StandardScalerModel}. */
export interface StandardScalerParams {
  /** Input vector column; default `features`. */
  inputCol: string;
  /** Output vector column; default `scaled_features`. */
  outputCol: string;
  /** Subtract the mean; default false (Spark's default; the workflow sets true). */
  withMean: boolean;
  /** Divide by the sample standard deviation; default true. */
  withStd: boolean;
}

const specs: ParamSpecs<StandardScalerParams> = {
  inputCol: { doc: 'input vector column', default: 'features', validate: nonEmptyString('inputCol') },
  outputCol: { doc: 'output vector column', default: 'scaled_features', validate: nonEmptyString('outputCol') },
  withMean: { doc: 'subtract the mean', default: false, validate: (value) => (typeof value === 'boolean' ? undefined : 'withMean must be true or false') },
  withStd: { doc: 'divide by the sample standard deviation', default: true, validate: (value) => (typeof value === 'boolean' ? undefined : 'withStd must be true or false') },
};

/** Spark ML's StandardScaler (an Estimator). */
export class StandardScaler implements Estimator {
  readonly className = 'StandardScaler';
  readonly uid: string;
  readonly params: Readonly<StandardScalerParams>;

  /** Creates a scaler; params are validated here. */
  constructor(params: Partial<StandardScalerParams> = {}, uid?: string) {
    this.params = resolveParams('StandardScaler', specs, params);
    this.uid = uid ?? newUid(this.className);
  }

  /** Computes the mean and sample standard deviation of every slot of the input column. */
  fit(table: Table): StandardScalerModel {
    const column = table.vector(this.params.inputCol);
    const n = table.numRows;
    const d = column.size;
    if (n === 0) throw new InputError(`empty input: StandardScaler needs at least one row in column "${this.params.inputCol}"`);
    const x = column.values;

    // Two passes (mean, then squared deviations) keep the variance accurate for large means.
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    const std = new Float64Array(d);
    if (n > 1) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          const deviation = x[i * d + j] - mean[j];
          std[j] += deviation * deviation;
        }
      }
      for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / (n - 1));
    }
    return new StandardScalerModel(this.params, mean, std, column.slotNames, this.uid);
  }

  copy(extra?: ParamMap): StandardScaler {
    return new StandardScaler({ ...this.params, ...overridesFor(this.uid, extra) }, this.uid);
  }

  toDocument(): StageDocument {
    return { class: this.className, uid: this.uid, params: { ...this.params } };
  }

  /** Restores a scaler from its JSON form. */
  static fromDocument(document: StageDocument): StandardScaler {
    return new StandardScaler(document.params as Partial<StandardScalerParams>, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}

/** A fitted StandardScaler: the mean and sample standard deviation of each slot. */
export class StandardScalerModel implements Model {
  readonly className = 'StandardScalerModel';
  readonly uid: string;
  readonly params: Readonly<StandardScalerParams>;
  /** Mean of each slot of the training rows. */
  readonly mean: Float64Array;
  /** Corrected sample standard deviation of each slot (0 with one row). */
  readonly std: Float64Array;
  /** Names of the slots, when the input column had them. */
  readonly slotNames?: string[];

  /** Creates a model from fitted statistics. */
  constructor(params: Partial<StandardScalerParams>, mean: Float64Array, std: Float64Array, slotNames?: string[], uid?: string) {
    this.params = resolveParams('StandardScalerModel', specs, params);
    if (mean.length !== std.length) throw new InputError(`invalid StandardScalerModel: ${mean.length} means but ${std.length} standard deviations`);
    this.mean = mean;
    this.std = std;
    this.slotNames = slotNames;
    this.uid = uid ?? newUid(this.className);
  }

  /** Returns the table with the scaled column added: `(x − mean) · (1/std)`, 0 where std is 0. */
  transform(table: Table): Table {
    const { inputCol, outputCol, withMean, withStd } = this.params;
    const column = table.vector(inputCol);
    const d = this.mean.length;
    if (column.size !== d) {
      throw new InputError(`invalid column "${inputCol}": vectors of size ${column.size}, but the scaler was fit on size ${d} (assemble the same input columns)`);
    }

    const shift = withMean ? this.mean : new Float64Array(d);
    const factor = new Float64Array(d).fill(1);
    if (withStd) for (let j = 0; j < d; j++) factor[j] = this.std[j] === 0 ? 0 : 1 / this.std[j];

    const x = column.values;
    const values = new Float64Array(x.length);
    for (let i = 0; i < x.length; i += d) {
      for (let j = 0; j < d; j++) values[i + j] = (x[i + j] - shift[j]) * factor[j];
    }
    return table.withColumn(outputCol, { type: 'vector', size: d, values, slotNames: column.slotNames });
  }

  copy(extra?: ParamMap): StandardScalerModel {
    return new StandardScalerModel({ ...this.params, ...overridesFor(this.uid, extra) }, this.mean, this.std, this.slotNames, this.uid);
  }

  toDocument(): StageDocument {
    return {
      class: this.className,
      uid: this.uid,
      params: { ...this.params },
      data: { mean: [...this.mean], std: [...this.std], slotNames: this.slotNames ?? null },
    };
  }

  /** Restores a model from its JSON form. */
  static fromDocument(document: StageDocument): StandardScalerModel {
    const data = document.data as { mean: number[]; std: number[]; slotNames: string[] | null };
    return new StandardScalerModel(document.params as Partial<StandardScalerParams>, Float64Array.from(data.mean), Float64Array.from(data.std), data.slotNames ?? undefined, document.uid);
  }

  async save(dir: string, options?: { overwrite?: boolean }): Promise<void> {
    await saveStage(this, dir, options);
  }
}
