/**
 * Search spaces: the `hp` namespace of Hyperopt 0.2.7 (`hyperopt/pyll_utils.py`).
 *
 * A space is any nesting of plain objects, arrays and literals with
 * hyperparameter expressions at the leaves. `hp.choice` and `hp.pchoice`
 * make conditional branches: the parameters of an unchosen branch are absent
 * from the trial. An assignment maps each active label to its stored value:
 * the option index for `choice`/`pchoice` and the drawn number for every
 * other expression, as Hyperopt stores `misc.vals`.
 */
import { InputError } from '../errors.js';

/** The prior of one hyperparameter, with Hyperopt's parameter names. */
export type Distribution =
  | { kind: 'randint'; low: number; high: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'quniform'; low: number; high: number; q: number }
  | { kind: 'loguniform'; low: number; high: number }
  | { kind: 'qloguniform'; low: number; high: number; q: number }
  | { kind: 'normal'; mu: number; sigma: number }
  | { kind: 'qnormal'; mu: number; sigma: number; q: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'qlognormal'; mu: number; sigma: number; q: number }
  | { kind: 'categorical'; p: number[] };

/** A numeric hyperparameter: a label and its prior. */
export class Param {
  readonly type = 'param';

  /**
   * @param label Unique name of the hyperparameter.
   * @param distribution Its prior.
   * @param integer True for `uniformint`, whose value is converted to an integer.
   */
  constructor(
    readonly label: string,
    readonly distribution: Distribution,
    readonly integer = false,
  ) {}
}

/** A categorical hyperparameter whose value is one of its options, each possibly a nested space. */
export class Choice<Option = unknown> {
  readonly type = 'choice';

  /**
   * @param label Unique name of the hyperparameter.
   * @param options The alternatives; a trial stores the chosen index.
   * @param p Probability of each option (uniform for `hp.choice`).
   */
  constructor(
    readonly label: string,
    readonly options: readonly Option[],
    readonly p: readonly number[],
  ) {}

  /** The prior over option indices. */
  get distribution(): Distribution {
    return { kind: 'categorical', p: [...this.p] };
  }
}

/** Any hyperparameter expression. */
export type Hyperparameter = Param | Choice;

/** Stored values of the active hyperparameters of one trial, by label (Hyperopt's `argmin` form). */
export type Assignment = Record<string, number>;

/** The value a space evaluates to: numbers for parameters, the chosen option's value for choices. */
export type SpaceValue<S> = S extends Param
  ? number
  : S extends Choice<infer Option>
    ? SpaceValue<Option>
    : S extends readonly unknown[]
      ? { -readonly [K in keyof S]: SpaceValue<S[K]> }
      : S extends Record<string, unknown>
        ? { -readonly [K in keyof S]: SpaceValue<S[K]> }
        : S;

function checkLabel(label: string): void {
  if (typeof label !== 'string' || label.length === 0) {
    throw new InputError(`invalid hyperparameter label: ${JSON.stringify(label)} (use a non-empty string)`);
  }
}

function checkFinite(label: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(`invalid ${name} for "${label}": ${value} (use a finite number)`);
  }
}

function checkRange(label: string, low: number, high: number): void {
  checkFinite(label, 'low', low);
  checkFinite(label, 'high', high);
  if (!(low < high)) throw new InputError(`invalid bounds for "${label}": low ${low} ≥ high ${high} (low must be less than high)`);
}

function checkQ(label: string, q: number): void {
  checkFinite(label, 'q', q);
  if (q <= 0) throw new InputError(`invalid q for "${label}": ${q} (q must be positive)`);
}

function checkSigma(label: string, mu: number, sigma: number): void {
  checkFinite(label, 'mu', mu);
  checkFinite(label, 'sigma', sigma);
  if (sigma <= 0) throw new InputError(`invalid sigma for "${label}": ${sigma} (sigma must be positive)`);
}

function randint(label: string, lowOrUpper: number, high?: number): Param {
  checkLabel(label);
  const low = high === undefined ? 0 : lowOrUpper;
  const upper = high === undefined ? lowOrUpper : high;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(upper)) {
    throw new InputError(`invalid bounds for "${label}": ${low}, ${upper} (randint bounds must be integers)`);
  }
  checkRange(label, low, upper);
  return new Param(label, { kind: 'randint', low, high: upper });
}

function uniform(label: string, low: number, high: number): Param {
  checkLabel(label);
  checkRange(label, low, high);
  return new Param(label, { kind: 'uniform', low, high });
}

function quniform(label: string, low: number, high: number, q: number): Param {
  checkLabel(label);
  checkRange(label, low, high);
  checkQ(label, q);
  return new Param(label, { kind: 'quniform', low, high, q });
}

// Hyperopt 0.2.7 forces q = 1 here, whatever the caller passes.
function uniformint(label: string, low: number, high: number): Param {
  checkLabel(label);
  checkRange(label, low, high);
  return new Param(label, { kind: 'quniform', low, high, q: 1 }, true);
}

function loguniform(label: string, low: number, high: number): Param {
  checkLabel(label);
  checkRange(label, low, high);
  return new Param(label, { kind: 'loguniform', low, high });
}

function qloguniform(label: string, low: number, high: number, q: number): Param {
  checkLabel(label);
  checkRange(label, low, high);
  checkQ(label, q);
  return new Param(label, { kind: 'qloguniform', low, high, q });
}

function normal(label: string, mu: number, sigma: number): Param {
  checkLabel(label);
  checkSigma(label, mu, sigma);
  return new Param(label, { kind: 'normal', mu, sigma });
}

function qnormal(label: string, mu: number, sigma: number, q: number): Param {
  checkLabel(label);
  checkSigma(label, mu, sigma);
  checkQ(label, q);
  return new Param(label, { kind: 'qnormal', mu, sigma, q });
}

function lognormal(label: string, mu: number, sigma: number): Param {
  checkLabel(label);
  checkSigma(label, mu, sigma);
  return new Param(label, { kind: 'lognormal', mu, sigma });
}

function qlognormal(label: string, mu: number, sigma: number, q: number): Param {
  checkLabel(label);
  checkSigma(label, mu, sigma);
  checkQ(label, q);
  return new Param(label, { kind: 'qlognormal', mu, sigma, q });
}

function choice<const Options extends readonly unknown[]>(label: string, options: Options): Choice<Options[number]> {
  checkLabel(label);
  if (!Array.isArray(options) || options.length === 0) {
    throw new InputError(`invalid options for "${label}": empty choice (give at least one option)`);
  }
  return new Choice(label, options, options.map(() => 1 / options.length));
}

function pchoice<const Option>(label: string, pOptions: readonly (readonly [number, Option])[]): Choice<Option> {
  checkLabel(label);
  if (!Array.isArray(pOptions) || pOptions.length === 0) {
    throw new InputError(`invalid options for "${label}": empty pchoice (give at least one [probability, option] pair)`);
  }
  const p = pOptions.map(([probability]) => probability);
  for (const probability of p) {
    if (!Number.isFinite(probability) || probability < 0) {
      throw new InputError(`invalid probability for "${label}": ${probability} (probabilities must be finite and non-negative)`);
    }
  }
  const sum = p.reduce((total, probability) => total + probability, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    throw new InputError(`invalid probabilities for "${label}": they sum to ${sum} (they must sum to 1)`);
  }
  return new Choice(label, pOptions.map(([, option]) => option), p);
}

/**
 * Hyperparameter expressions, named and parametrised as Hyperopt's `hp`.
 * Bounds of `loguniform`/`qloguniform` are in log space (the value is
 * `exp(uniform(low, high))`); `randint` has an exclusive upper bound.
 * Invalid bounds (low ≥ high, q ≤ 0, sigma ≤ 0, an empty choice) throw an
 * {@link InputError} naming the label.
 */
export const hp = {
  /** Integer in [0, upper) or [low, high); TPE treats it as unordered categories. */
  randint,
  /** Float uniform in [low, high). */
  uniform,
  /** `round(uniform(low, high) / q) · q`, rounding half to even as NumPy does. */
  quniform,
  /** `quniform(low, high, q = 1)` converted to an integer: the ordered alternative to `randint`. */
  uniformint,
  /** `exp(uniform(low, high))`: bounds are in log space. */
  loguniform,
  /** `round(exp(uniform(low, high)) / q) · q`. */
  qloguniform,
  /** Normal with mean `mu` and standard deviation `sigma`. */
  normal,
  /** `round(normal(mu, sigma) / q) · q`. */
  qnormal,
  /** `exp(normal(mu, sigma))`. */
  lognormal,
  /** `round(exp(normal(mu, sigma)) / q) · q`. */
  qlognormal,
  /** One of `options` with equal probability; a trial stores the option index. */
  choice,
  /** One of the options with the given probabilities (which must sum to 1). */
  pchoice,
};

/**
 * Lists the hyperparameters of a space in depth-first order and checks that
 * labels are unique. The same expression object may appear in several places
 * (it is then one hyperparameter, as in Hyperopt); two different expressions
 * with one label throw an {@link InputError} naming it.
 */
export function spaceParameters(space: unknown): Map<string, Hyperparameter> {
  const found = new Map<string, Hyperparameter>();
  const visit = (node: unknown): void => {
    if (node instanceof Param || node instanceof Choice) {
      const previous = found.get(node.label);
      if (previous !== undefined && previous !== node) {
        throw new InputError(`duplicate hyperparameter label: "${node.label}" (give each hyperparameter its own label)`);
      }
      found.set(node.label, node);
      if (node instanceof Choice) for (const option of node.options) visit(option);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (isPlainObject(node)) for (const value of Object.values(node)) visit(value);
  };
  visit(space);
  return found;
}

/**
 * Walks a space, asking `valueOf` for each active hyperparameter in
 * depth-first order, and returns the assignment of the active labels and the
 * value of the space. A choice is resolved before its options, so parameters
 * of unchosen branches are never asked for. A hyperparameter that appears
 * twice is asked for once.
 */
export function walkSpace(space: unknown, valueOf: (node: Hyperparameter) => number): { assignment: Assignment; value: unknown } {
  const assignment: Assignment = {};

  const evaluate = (node: unknown): unknown => {
    if (node instanceof Param || node instanceof Choice) {
      let stored = assignment[node.label];
      if (stored === undefined) {
        stored = valueOf(node);
        assignment[node.label] = stored;
      }
      if (node instanceof Param) return node.integer ? Math.trunc(stored) : stored;
      const option = node.options[stored];
      if (!Number.isInteger(stored) || stored < 0 || stored >= node.options.length) {
        throw new InputError(`invalid index for "${node.label}": ${stored} (use an integer in 0..${node.options.length - 1})`);
      }
      return evaluate(option);
    }
    if (Array.isArray(node)) return node.map(evaluate);
    if (isPlainObject(node)) {
      const result: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) result[key] = evaluate(value);
      return result;
    }
    return node;
  };

  const value = evaluate(space);
  return { assignment, value };
}

/**
 * Maps an assignment (such as `argmin`: option indices for choices, numbers
 * for the rest) back to the value of the space, as Hyperopt's `space_eval`.
 * Throws an {@link InputError} naming a label the branch needs but the
 * assignment lacks.
 */
export function spaceEval<S>(space: S, assignment: Assignment): SpaceValue<S> {
  const { value } = walkSpace(space, (node) => {
    const stored = assignment[node.label];
    if (typeof stored !== 'number') {
      throw new InputError(`missing value for hyperparameter "${node.label}" (the assignment must contain every active label)`);
    }
    return stored;
  });
  return value as SpaceValue<S>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
