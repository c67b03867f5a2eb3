/**
 * Params declared once per stage, with their default and validation, as in
 * Spark ML: values are checked when they are set, so a bad value fails at
 * construction with a message that names the value and the rule.
 */
import { InputError } from '../errors.js';

/** Declaration of one param. */
export interface ParamSpec<T> {
  /** One sentence on what the param sets. */
  doc: string;
  /** Default value; a param with no default that is not `optional` is required. */
  default?: T;
  /** True when the param may stay unset (such as `weightCol`). */
  optional?: boolean;
  /** Returns the rule a value breaks ("k must be at least 2"), or undefined when it is valid. */
  validate?: (value: Exclude<T, undefined>) => string | undefined;
}

/** The params of a stage: one declaration per key of `P`. */
export type ParamSpecs<P> = { [K in keyof P]-?: ParamSpec<P[K]> };

/**
 * Resolves given values against the declarations: fills defaults, rejects
 * unknown names, missing required params and invalid values.
 */
export function resolveParams<P extends object>(stage: string, specs: ParamSpecs<P>, given: Partial<P> = {}): P {
  const names = Object.keys(specs) as (keyof P & string)[];
  for (const name of Object.keys(given)) {
    if (!(name in specs)) throw new InputError(`unknown param "${name}" for ${stage} (params: ${names.join(', ')})`);
  }

  const resolved = {} as P;
  for (const name of names) {
    const spec = specs[name];
    const value = given[name] !== undefined ? given[name] : spec.default;
    if (value === undefined) {
      if (spec.optional) continue;
      throw new InputError(`missing param ${name} for ${stage} (${spec.doc})`);
    }
    const problem = spec.validate?.(value as Exclude<P[typeof name], undefined>);
    if (problem !== undefined) throw new InputError(`invalid ${name}: ${JSON.stringify(value)} (${problem})`);
    resolved[name] = value as P[typeof name];
  }
  return resolved;
}

/** Validates an integer at least `min`. */
export function integerAtLeast(min: number, name: string): (value: number) => string | undefined {
  return (value) => (Number.isInteger(value) && value >= min ? undefined : `${name} must be an integer of at least ${min}`);
}

/** Validates a value from a fixed list. */
export function oneOf<T extends string>(options: readonly T[], name: string): (value: T) => string | undefined {
  return (value) => (options.includes(value) ? undefined : `${name} must be one of ${options.join(', ')}`);
}

/** Validates a non-empty string. */
export function nonEmptyString(name: string): (value: string) => string | undefined {
  return (value) => (typeof value === 'string' && value.length > 0 ? undefined : `${name} must be a non-empty string`);
}
