/**
 * Settings flags on the command line: which a command takes, their values as the schema's types, and the
 * settings they make, checked by the settings schema with every message naming the flag that was typed.
 */
import { parseMappingList } from '../engine/params/audio';
import { parseLayerList, parseNumberList } from '../engine/params/lists';
import { formatIssues } from '../engine/params/schema';
import { settingsSchema, type Settings } from '../engine/params/settings';
import { COMMANDS, optionsOf, type Command } from './commands';
import { cliFlags, commandFlags, type FlagName, type FlagSpec } from './flags';
import { UsageError } from './usage-error';

/** Every settings flag the schema gives. */
export const FLAGS: readonly FlagSpec[] = cliFlags(settingsSchema);

/** Whether `path` is `under` or inside it ('dream.stepSize' is inside 'dream'). */
const within = (path: string, under: string) => path === under || path.startsWith(`${under}.`);

/** The settings flags `command` reads. */
export function flagsOf(command: Command): FlagSpec[] {
  const { reads, skips = [] } = COMMANDS[command];
  return FLAGS.filter((f) => reads.some((r) => within(f.path, r)) && !skips.some((s) => within(f.path, s)));
}

/** The settings flag names `command` takes (commandFlags), its own options reserved. */
export function settingNames(command: Command): Map<string, FlagName> {
  return commandFlags(flagsOf(command), new Set(optionsOf(command)));
}

/** A settings flag as given: the spelling typed (for messages) and its value, typed as the field is. */
export interface GivenSetting {
  flag: string;
  value: unknown;
}

/** Settings flags given, by path ('dream.stepSize'); a later flag for the same setting wins. */
export type GivenSettings = Map<string, GivenSetting>;

/**
 * A flag's text as the value its field takes. Numbers that are not numbers are refused here, where the text is
 * still at hand; ranges, enums, layer names and the rest are the schema's to check (settingsOf).
 */
export function settingValue({ flag, negated }: FlagName, rawName: string, text: string | undefined): unknown {
  const kind = flag.kind.type;
  if (kind === 'boolean') return !negated;
  const value = text ?? '';
  if (kind === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${rawName} must be a number (got "${value}")`);
    return n;
  }
  if (kind === 'layers') return parseLayerList(value);
  if (kind === 'mappings') return parseMappingList(value);
  if (kind === 'numbers') {
    const list = parseNumberList(value);
    if (list.some(Number.isNaN)) throw new UsageError(`${rawName} must be numbers separated by commas, e.g. 0.7,0.3 (got "${value}")`);
    return list;
  }
  return value;
}

/**
 * The settings the flags make (defaults elsewhere), with `overrides` (by path) set over them. A value the schema
 * refuses is a UsageError naming the flag: `--step-size: dream.stepSize must be a number from 0.0001 to 1 (got 9)`.
 */
export function settingsOf(given: GivenSettings, overrides: Readonly<Record<string, unknown>> = {}): Settings {
  const input: Record<string, unknown> = {};
  for (const [path, { value }] of given) setPath(input, path, value);
  for (const [path, value] of Object.entries(overrides)) setPath(input, path, value);
  const r = settingsSchema.safeParse(input);
  if (r.success) return r.data;
  const messages = r.error.issues.map((issue) => {
    const at = issue.path.map(String).join('.');
    const flag = [...given].find(([path]) => within(at, path))?.[1].flag;
    const text = formatIssues([issue], 'settings', input);
    return flag ? `${flag}: ${text}` : text;
  });
  throw new UsageError(messages.join('; '));
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = obj;
  for (const k of keys) at = (at[k] ??= {}) as Record<string, unknown>;
  at[last] = value;
}
