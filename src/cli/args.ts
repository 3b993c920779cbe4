import { parseArgs } from 'node:util';
import { NODE_BACKENDS, type NodeBackend } from '../node/backend-names';
import { COMMAND_NAMES, COMMANDS, OPTIONS, optionsOf, type Command } from './commands';
import { settingNames, settingValue, type GivenSettings } from './settings-flags';
import { UsageError } from './usage-error';

export { UsageError };
export type { Command };

export interface CliArgs {
  command: Command;
  /** The command's own options (commands.ts OPTIONS), as typed; their values are checked where they are used. */
  values: Record<string, string | boolean | undefined>;
  /** The settings flags given, by path; settingsOf makes them settings. */
  settings: GivenSettings;
  backend: NodeBackend;
  json: boolean;
}

type ParseOption = { type: 'string' | 'boolean'; short?: string };

/** What each command takes: its own options and its settings flags. */
const TAKES = new Map(COMMAND_NAMES.map((c) => [c, { options: new Set(optionsOf(c)), settings: settingNames(c) }]));

/** Every name any command takes, for node's parser: which take a value, which are switches. */
const PARSE_OPTIONS: Record<string, ParseOption> = Object.fromEntries([
  ...[...TAKES.values()].flatMap(({ settings }) => [...settings].map(([name, { flag }]) => [name, { type: flag.kind.type === 'boolean' ? 'boolean' : 'string' }] as const)),
  ...Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.value ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) }] as const),
]);

const isCommand = (name: string | undefined): name is Command => (COMMAND_NAMES as readonly string[]).includes(name ?? '');

/** The parsed command line, or 'help' for --help. Throws UsageError with a one-line message. */
export function parseCli(argv: string[]): CliArgs | 'help' {
  // Not strict: node's strict messages run to several lines, and strict mode refuses negative values (`--rotate -1`).
  const { values, positionals, tokens } = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  if (values.help) return 'help';
  const command = positionals[0];
  const known = isCommand(command) ? command : undefined;
  const settings: GivenSettings = new Map();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    checkOption(known, t.name, t.rawName, t.value, t.inlineValue);
    const setting = known && TAKES.get(known)!.settings.get(t.name);
    if (setting) settings.set(setting.flag.path, { flag: t.rawName, value: settingValue(setting, t.rawName, t.value) });
  }
  if (!command) throw new UsageError('missing command: dream, style, zoom or video (see npm run render -- --help)');
  if (!known) throw new UsageError(`unknown command "${command}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const backend = (values.backend ?? 'wasm') as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${NODE_BACKENDS.join(', ')}`);
  const own = Object.fromEntries(Object.entries(values).filter(([name]) => name in OPTIONS));
  return { command: known, values: own, settings, backend, json: Boolean(values.json) };
}

function checkOption(command: Command | undefined, name: string, rawName: string, value: string | undefined, inline: boolean | undefined): void {
  const type = PARSE_OPTIONS[name]?.type;
  const renamed = command && COMMANDS[command].renamed?.[name];
  if (renamed) throw new UsageError(`${rawName}: ${renamed}`);
  if (!type) throw new UsageError(`unknown option ${rawName} (see npm run render -- --help)`);
  if (command && !TAKES.get(command)!.options.has(name) && !TAKES.get(command)!.settings.has(name))
    throw new UsageError(`${rawName} is not an option of ${command} (see npm run render -- --help)`);
  if (type === 'boolean' && inline) throw new UsageError(`${rawName} takes no value`);
  // A following option is not a value (`--size --json`), but a negative number is.
  const missing = value === undefined || (!inline && value.startsWith('-') && !Number.isFinite(Number(value)));
  if (type === 'string' && missing) throw new UsageError(`${rawName} needs a value`);
}

export function required(values: CliArgs['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** A numeric option, or undefined when absent (the engine's default then applies). */
export function number(values: CliArgs['values'], name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${String(v)}")`);
  return n;
}

/** A whole-number option within [min, max], or `fallback` when absent. */
export function count(values: CliArgs['values'], name: string, fallback: number, min = 1, max = 100_000): number {
  const n = number(values, name) ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${n})`);
  return n;
}

/** An output size: N×N from `--size N`, W×H from `--size WxH`. */
export interface Size {
  width: number;
  height: number;
}

/**
 * `--size N` or `--size WxH` (also `W×H`), each side a whole number from `min` to `max`; undefined when absent.
 * WxH is the exact output: the input covers it with its aspect kept and is centre-cropped, as N is N×N.
 */
export function size(values: CliArgs['values'], min: number, max: number, note = ''): Size | undefined {
  const v = values.size;
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v.trim() : '';
  const pair = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(text);
  if (pair) {
    const [w, h] = [Number(pair[1]), Number(pair[2])];
    if ([w, h].some((n) => n < min || n > max)) throw new UsageError(`--size ${w}x${h}: each side must be from ${min} to ${max}${note}`);
    return { width: w, height: h };
  }
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new UsageError(`--size must be N or WxH, e.g. 512 or 3840x2160 (got "${String(v)}")`);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--size must be an integer from ${min} to ${max}${note} (got ${n})`);
  return { width: n, height: n };
}
