import { parseArgs } from 'node:util';
import { NODE_BACKENDS, type NodeBackend } from '../node/backend';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage:
  npm run render -- dream --input IMG --output OUT.png [--size N] [--layers mixed3,mixed5] [--steps N]
        [--step-size X] [--octaves N] [--octave-scale X] [--jitter PX] [--objective l2|mean] [--channel C]
        [--guide IMG] [--seed N] [--backend wasm|cpu|webgpu] [--json]
  npm run render -- style --content IMG --style IMG --output OUT.png [--size N] [--iterations N]
        [--content-weight X] [--style-weight X] [--tv-weight X] [--learning-rate X] [--init content|noise|style]
        [--preserve-colour] [--seed N] [--backend ...] [--json]
  npm run render -- zoom --input IMG --output-dir DIR --frames N [--zoom X] [--rotate DEG] [--drift-x PX]
        [--drift-y PX] [--colour-guard X] [dream options; --steps is steps per frame]`;

const OPTIONS = {
  input: { type: 'string' },
  output: { type: 'string' },
  'output-dir': { type: 'string' },
  content: { type: 'string' },
  style: { type: 'string' },
  guide: { type: 'string' },
  'guide-weight': { type: 'string' },
  size: { type: 'string' },
  layers: { type: 'string' },
  steps: { type: 'string' },
  'step-size': { type: 'string' },
  octaves: { type: 'string' },
  'octave-scale': { type: 'string' },
  jitter: { type: 'string' },
  objective: { type: 'string' },
  channel: { type: 'string' },
  iterations: { type: 'string' },
  'content-weight': { type: 'string' },
  'style-weight': { type: 'string' },
  'tv-weight': { type: 'string' },
  'learning-rate': { type: 'string' },
  init: { type: 'string' },
  'preserve-colour': { type: 'boolean' },
  frames: { type: 'string' },
  zoom: { type: 'string' },
  rotate: { type: 'string' },
  'drift-x': { type: 'string' },
  'drift-y': { type: 'string' },
  'colour-guard': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Command = 'dream' | 'style' | 'zoom';

export interface CliArgs {
  command: Command;
  values: Record<string, string | boolean | undefined>;
  backend: NodeBackend;
  json: boolean;
}

/** The parsed command line, or 'help' for --help. Throws UsageError with a one-line message. */
export function parseCli(argv: string[]): CliArgs | 'help' {
  // Not strict: node's strict messages run to several lines, and strict mode refuses negative values (`--rotate -1`).
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  if (values.help) return 'help';
  for (const t of tokens) if (t.kind === 'option') checkOption(t.name, t.rawName, t.value, t.inlineValue);
  const command = positionals[0];
  if (!command) throw new UsageError('missing command: dream, style or zoom (see npm run render -- --help)');
  if (command !== 'dream' && command !== 'style' && command !== 'zoom') throw new UsageError(`unknown command "${command}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const backend = (values.backend ?? 'wasm') as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${NODE_BACKENDS.join(', ')}`);
  return { command, values, backend, json: Boolean(values.json) };
}

function checkOption(name: string, rawName: string, value: string | undefined, inline: boolean | undefined): void {
  const type = (OPTIONS as Record<string, { type: 'string' | 'boolean' }>)[name]?.type;
  if (!type) throw new UsageError(`unknown option ${rawName} (see npm run render -- --help)`);
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
