/**
 * The render CLI's settings flags, derived from a settings schema: every field is a flag, so a new setting or a
 * new mode's section of settings is on the command line with no CLI code touched.
 *
 * Naming: a field `section.someKey` is `--section-some-key` (a top-level field `someKey`: `--some-key`), always;
 * and `--some-key`, its key alone, wherever no other flag of the command claims that name (commandFlags). ALIASES
 * adds the spellings the CLI had before the flags were derived.
 */
import { settingFields, type FieldKind, type ObjectSchema } from '../engine/params/fields';

export interface FlagSpec {
  /** The field's dotted path: 'dream.stepSize'. */
  path: string;
  /** Unique in the schema: 'dream-step-size'. */
  long: string;
  /** The key alone, 'step-size': a command takes it where it is unambiguous. */
  short: string;
  /** Older spellings from ALIASES: 'steps' for dream.stepsPerOctave. */
  aliases: readonly string[];
  kind: FieldKind;
  fallback?: unknown;
  description?: string;
}

/** The one table of spellings a derived name does not give: the CLI's flags from before, kept working. */
export const ALIASES: Readonly<Record<string, string>> = {
  steps: 'dream.stepsPerOctave',
  'grad-norm': 'dream.normalise',
  'lap-levels': 'dream.laplacianLevels',
};

/** `stepSize` → `step-size`, `driftX` → `drift-x`. */
export const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function cliFlags(schema: ObjectSchema): FlagSpec[] {
  const flags = settingFields(schema).map(({ path, ...field }): FlagSpec => {
    const dotted = path.join('.');
    return {
      path: dotted,
      long: path.map(kebab).join('-'),
      short: kebab(path.at(-1)!),
      aliases: Object.keys(ALIASES).filter((alias) => ALIASES[alias] === dotted),
      ...field,
    };
  });
  const longs = new Map<string, string>();
  for (const f of flags) {
    const other = longs.get(f.long);
    // Two paths that kebab to one name (dream.stepSize, a top-level dreamStepSize) would make a flag ambiguous.
    if (other) throw new Error(`settings ${other} and ${f.path} both give the flag --${f.long}`);
    longs.set(f.long, f.path);
  }
  return flags;
}

/** A name on the command line for a settings flag; `negated`: the `--no-` form of an on/off setting. */
export interface FlagName {
  flag: FlagSpec;
  negated?: true;
}

/**
 * The names a command takes for `flags`: each long name; each short name and alias that no other of these flags
 * and none of the command's own options (`reserved`) claims. An on/off setting also takes `--no-` before any name.
 */
export function commandFlags(flags: readonly FlagSpec[], reserved: ReadonlySet<string>): Map<string, FlagName> {
  const claims = new Map<string, number>();
  const claim = (name: string) => claims.set(name, (claims.get(name) ?? 0) + 1);
  for (const f of flags) new Set([f.long, f.short, ...f.aliases]).forEach(claim);
  const names = new Map<string, FlagName>();
  for (const f of flags) {
    if (reserved.has(f.long)) throw new Error(`setting ${f.path}: --${f.long} is also one of the command's own options`);
    const others = [f.short, ...f.aliases].filter((n) => claims.get(n) === 1 && !reserved.has(n));
    for (const name of new Set([f.long, ...others])) {
      names.set(name, { flag: f });
      if (f.kind.type === 'boolean') names.set(`no-${name}`, { flag: f, negated: true });
    }
  }
  return names;
}
