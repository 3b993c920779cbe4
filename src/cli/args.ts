import { parseArgs } from 'node:util';
import { NODE_BACKENDS, type NodeBackend } from '../node/backend';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage:
  npm run render -- dream --input IMG --output OUT.png [--size N|WxH] [--tile N] [--layers mixed3,mixed5] [--steps N]
        [--step-size X] [--octaves N] [--octave-scale X] [--jitter PX] [--objective l2|mean] [--channel C]
        [--grad-norm std|mean-abs|laplacian] [--lap-levels N] [--guide IMG] [--guide-weight X] [--seed N]
        [--mask MASK.png [--outside keep|other] [--outside-layers mixed1]] [--backend wasm|cpu|webgpu] [--json]
  npm run render -- style --content IMG --style IMG[,IMG…] --output OUT.png [--size N|WxH] [--tile N] [--iterations N]
        [--style-blend W,W…] [--stages N] [--stage-iterations N] [--smoothing X]
        [--jitter-rotate DEG] [--jitter-scale X]
        [--content-weight X] [--style-weight X] [--tv-weight X] [--learning-rate X] [--init content|noise|style]
        [--content-layer L] [--style-layers L:W,L:W] [--colour style|content|match] [--style-scale X]
        [--basis pyramid|pixels] [--pyramid-levels N] [--pad PX] [--jitter PX] [--seed N]
        [--mask MASK.png [--outside keep|other]] [--backend ...] [--json]
  npm run render -- zoom --input IMG --output-dir DIR --frames N [--steps-per-frame N] [--zoom X] [--rotate DEG]
        [--drift-x PX] [--drift-y PX] [--colour-guard X] [--wander X] [--size N|WxH] [--layers ...] [--step-size X] [--jitter PX]
        [--objective l2|mean] [--channel C] [--grad-norm std|mean-abs|laplacian] [--lap-levels N] [--guide IMG]
        [--guide-weight X] [--seed N] [--mask MASK.png [--outside keep|other] [--outside-layers ...]]
        [--backend ...] [--json]
  npm run render -- zoom ... --output OUT.mp4|OUT.webm [--fps N]      (a video instead of the PNG sequence)
  npm run render -- zoom ... --size 3840x2160 [--tile N]              (4K frames, dreamed tile by tile)
  npm run render -- video --input IN.mp4 --output OUT.mp4|OUT.webm|OUT.mkv [--flow on|off] [--steps-per-frame N]
        [--pull X] [--size N|WxH] [--layers ...] [--step-size X] [--jitter PX] [--objective l2|mean] [--channel C]
        [--grad-norm ...] [--lap-levels N] [--colour-guard X] [--guide IMG] [--guide-weight X] [--seed N]
        [--mask MASK.png [--outside keep|other] [--outside-layers ...]] [--backend ...] [--json]

  --steps is gradient steps per octave (dream); --steps-per-frame is steps per frame of a zoom sequence.
  --wander X: the zoom's objective drifts through the layers (0: off; at 1 the lead changes every ~60 frames).
  video: each frame is dreamed with the previous dreamed frame carried along the optical flow (--flow off: blended
  in by --pull); the audio track is kept. --size N for a video is its long side (the aspect kept); default: as is.
  Videos are read and written with the ffmpeg binary inside the @ffmpeg-installer npm package.
  --size WxH renders exactly W×H: the input is scaled to cover it (its aspect kept) and centre-cropped; N is N×N.
  Pictures larger than a tile (--tile, default: what the device takes) are computed tile by tile.
  --mask: a greyscale picture (white: the look applies, black: the picture is kept; fitted like the input). With
  --outside other, DeepDream maximises --outside-layers outside it, and style takes two --style images: the first
  inside the mask, the second outside.
  Every PNG carries its look: drop it on the app to dream on with the same settings.`;

type Option = { type: 'string' | 'boolean'; short?: string };

const COMMON = {
  size: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, Option>;

/** What the network is asked to see: shared by the still dream and the zoom stream. */
const DREAM = {
  input: { type: 'string' },
  layers: { type: 'string' },
  'step-size': { type: 'string' },
  jitter: { type: 'string' },
  objective: { type: 'string' },
  channel: { type: 'string' },
  guide: { type: 'string' },
  'guide-weight': { type: 'string' },
  'grad-norm': { type: 'string' },
  'lap-levels': { type: 'string' },
  mask: { type: 'string' },
  outside: { type: 'string' },
  'outside-layers': { type: 'string' },
} as const satisfies Record<string, Option>;

const COMMANDS = {
  dream: { ...COMMON, ...DREAM, output: { type: 'string' }, steps: { type: 'string' }, octaves: { type: 'string' }, 'octave-scale': { type: 'string' }, tile: { type: 'string' } },
  style: {
    ...COMMON,
    tile: { type: 'string' },
    output: { type: 'string' },
    content: { type: 'string' },
    style: { type: 'string' },
    iterations: { type: 'string' },
    'content-weight': { type: 'string' },
    'style-weight': { type: 'string' },
    'tv-weight': { type: 'string' },
    'learning-rate': { type: 'string' },
    init: { type: 'string' },
    'preserve-colour': { type: 'boolean' },
    colour: { type: 'string' },
    'style-scale': { type: 'string' },
    'content-layer': { type: 'string' },
    'style-layers': { type: 'string' },
    basis: { type: 'string' },
    'pyramid-levels': { type: 'string' },
    pad: { type: 'string' },
    jitter: { type: 'string' },
    'jitter-rotate': { type: 'string' },
    'jitter-scale': { type: 'string' },
    'style-blend': { type: 'string' },
    stages: { type: 'string' },
    'stage-iterations': { type: 'string' },
    smoothing: { type: 'string' },
    mask: { type: 'string' },
    outside: { type: 'string' },
  },
  zoom: {
    ...COMMON,
    ...DREAM,
    'output-dir': { type: 'string' },
    frames: { type: 'string' },
    'steps-per-frame': { type: 'string' },
    zoom: { type: 'string' },
    rotate: { type: 'string' },
    'drift-x': { type: 'string' },
    'drift-y': { type: 'string' },
    'colour-guard': { type: 'string' },
    wander: { type: 'string' },
    output: { type: 'string' },
    fps: { type: 'string' },
    tile: { type: 'string' },
  },
  video: {
    ...COMMON,
    ...DREAM,
    output: { type: 'string' },
    flow: { type: 'string' },
    'steps-per-frame': { type: 'string' },
    pull: { type: 'string' },
    'colour-guard': { type: 'string' },
  },
} as const satisfies Record<string, Record<string, Option>>;

/** Every option of any command: parsed first, then checked against the command given. */
const OPTIONS: Record<string, Option> = { ...COMMANDS.dream, ...COMMANDS.style, ...COMMANDS.zoom, ...COMMANDS.video };

/**
 * Spellings that meant something else before, or belong to another command: refused with the one to use, so an
 * old script fails loudly instead of rendering with a silently different meaning.
 */
const RENAMED: Partial<Record<Command, Record<string, string>>> = {
  zoom: { steps: 'zoom takes --steps-per-frame (--steps is steps per octave, for dream)' },
  video: { steps: 'video takes --steps-per-frame (--steps is steps per octave, for dream)' },
  dream: { 'steps-per-frame': 'dream takes --steps, the steps per octave (--steps-per-frame is for zoom)' },
  style: { steps: 'style takes --iterations (--steps is steps per octave, for dream)', 'preserve-colour': 'use --colour content' },
};

export type Command = keyof typeof COMMANDS;

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
  const command = positionals[0];
  const known = command !== undefined && command in COMMANDS ? (command as Command) : undefined;
  for (const t of tokens) if (t.kind === 'option') checkOption(known, t.name, t.rawName, t.value, t.inlineValue);
  if (!command) throw new UsageError('missing command: dream, style, zoom or video (see npm run render -- --help)');
  if (!known) throw new UsageError(`unknown command "${command}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const backend = (values.backend ?? 'wasm') as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${NODE_BACKENDS.join(', ')}`);
  return { command: known, values, backend, json: Boolean(values.json) };
}

function checkOption(command: Command | undefined, name: string, rawName: string, value: string | undefined, inline: boolean | undefined): void {
  const type = OPTIONS[name]?.type;
  if (!type) throw new UsageError(`unknown option ${rawName} (see npm run render -- --help)`);
  if (command) {
    const renamed = RENAMED[command]?.[name];
    if (renamed) throw new UsageError(`${rawName}: ${renamed}`);
    if (!(name in COMMANDS[command])) throw new UsageError(`${rawName} is not an option of ${command} (see npm run render -- --help)`);
  }
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

/** A comma-separated list of numbers (`0.7,0.3`), or undefined when absent. */
export function numbers(values: CliArgs['values'], name: string): number[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',').map((p) => p.trim()) : [];
  const out = parts.map(Number);
  if (parts.length === 0 || parts.some((p) => p === '') || out.some((n) => !Number.isFinite(n)))
    throw new UsageError(`--${name} must be numbers separated by commas, e.g. 0.7,0.3 (got "${String(v)}")`);
  return out;
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
