/**
 * A service's settings, declared by the service and read once at the composition root from
 * `nimbus server` flags and NIMBUS_* variables (flag over variable over default). The server
 * command adds each declared flag; nothing else reads the environment.
 */

/** One setting. */
export interface OptionSpec<T> {
  /** The `nimbus server` flag, commander-style (`--concurrency-limit <n>`); absent for variable-only settings. */
  flag?: string;
  /** The environment variable, `NIMBUS_*`. */
  env: string;
  /** What it sets, with its default, for `--help` and the README. */
  description: string;
  default: T;
  /** Reads a given value; throws an Error that says what is wrong with it. */
  parse(text: string): T;
}

export type OptionSpecs<O> = { readonly [K in keyof O]: OptionSpec<O[K]> };

/** The option key commander gives a flag: `--scale-up-rate <n>` → `scaleUpRate`. */
export function flagKey(flag: string): string {
  const long = /--([a-z0-9-]+)/.exec(flag)?.[1];
  if (!long) throw new Error(`not a long flag: ${flag}`);
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Resolves every setting of `specs` from parsed flags and the environment. */
export function resolveOptions<O>(specs: OptionSpecs<O>, flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): O {
  const out = {} as O;
  for (const key of Object.keys(specs) as (keyof O & string)[]) {
    const spec = specs[key];
    const fromFlag = spec.flag ? flags[flagKey(spec.flag)] : undefined;
    const text = fromFlag !== undefined ? String(fromFlag) : env[spec.env];
    try {
      out[key] = text === undefined ? spec.default : spec.parse(text);
    } catch (err) {
      const source = fromFlag !== undefined ? spec.flag!.split(' ')[0] : spec.env;
      throw new Error(`invalid ${source}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** A whole number within [min, max]. */
export function integerOption(o: Omit<OptionSpec<number>, 'parse'> & { min: number; max?: number }): OptionSpec<number> {
  return {
    ...o,
    parse(text) {
      const n = Number(text);
      if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new Error(`'${text}' is not a whole number`);
      if (n < o.min || (o.max !== undefined && n > o.max)) {
        throw new Error(`${n} is outside ${o.min}..${o.max ?? '∞'}`);
      }
      return n;
    },
  };
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(o: Omit<OptionSpec<T>, 'parse'> & { choices: readonly T[] }): OptionSpec<T> {
  return {
    ...o,
    parse(text) {
      if (!(o.choices as readonly string[]).includes(text)) throw new Error(`'${text}' is not one of ${o.choices.join(', ')}`);
      return text as T;
    },
  };
}
