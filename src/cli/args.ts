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

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) throw new UsageError('');
  if (command !== 'dream' && command !== 'style' && command !== 'zoom') throw new UsageError(`unknown command "${command}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const backend = (values.backend ?? 'wasm') as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${NODE_BACKENDS.join(', ')}`);
  return { command, values, backend, json: Boolean(values.json) };
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
