/**
 * The render CLI's commands, and the one hand-written table of the flags that are not settings: files, sizes,
 * frames, the backend. Settings flags are derived from the schema (flags.ts); a command names the settings it reads.
 */
export const COMMAND_NAMES = ['dream', 'style', 'zoom', 'video', 'features', 'saliency', 'filters'] as const;
export type Command = (typeof COMMAND_NAMES)[number];

export interface CommandSpec {
  /** What it makes, one line of the usage. */
  about: string;
  /** Its required flags, as the usage shows them. */
  synopsis: string;
  /** The settings its flags set: sections ('dream') or single fields ('stream.colourGuard'). */
  reads: readonly string[];
  /** Settings within `reads` that mean nothing to it: a zoom frame has no octaves. */
  skips?: readonly string[];
  /**
   * Spellings that meant something else before, or belong to another command: refused with the one to use, so an
   * old script fails loudly instead of rendering with a silently different meaning.
   */
  renamed?: Readonly<Record<string, string>>;
}

/** Steps per octave belong to a still's octaves; a frame of a stream takes its own steps. */
const FRAME_SKIPS = ['dream.stepsPerOctave', 'dream.octaves', 'dream.octaveScale'];

export const COMMANDS: Readonly<Record<Command, CommandSpec>> = {
  dream: {
    about: 'DeepDream on a still',
    synopsis: '--input IMG --output OUT.png',
    reads: ['dream', 'mask'],
    renamed: { 'steps-per-frame': 'dream takes --steps, the steps per octave (--steps-per-frame is for zoom)' },
  },
  style: {
    about: "a photo painted in a painting's style",
    synopsis: '--content IMG --style IMG[,IMG…] --output OUT.png',
    reads: ['style', 'mask'],
    renamed: { steps: 'style takes --iterations (--steps is steps per octave, for dream)', 'preserve-colour': 'use --colour content' },
  },
  zoom: {
    about: 'a zoom sequence, each frame dreamed on from the last',
    synopsis: '--input IMG --frames N --output-dir DIR | --output OUT.mp4 [--audio SONG.mp3]',
    // `audio`: --audio-mappings (the look's mappings, as the app's live sound uses them) instead of an --audio-map preset.
    reads: ['dream', 'stream', 'mask', 'audio'],
    // The stream's pull toward its source is the webcam's: a zoom has no source frame to be pulled to.
    skips: [...FRAME_SKIPS, 'stream.blend'],
    renamed: { steps: 'zoom takes --steps-per-frame (--steps is steps per octave, for dream)' },
  },
  video: {
    about: 'a video dreamed frame by frame along its motion, its audio kept',
    synopsis: '--input IN.mp4 --output OUT.mp4',
    reads: ['dream', 'stream.colourGuard', 'mask'],
    skips: FRAME_SKIPS,
    renamed: { steps: 'video takes --steps-per-frame (--steps is steps per octave, for dream)' },
  },
  features: {
    about: "the lens: channels of a layer grown from noise (feature visualisation), as a sheet",
    synopsis: '--output OUT.png [--layer mixed4] [--channels 0-15] [--target mix --mix-with N --mix-share 0.5]',
    reads: ['lens.layer', 'lens.target', 'lens.mixWith', 'lens.mixShare'],
  },
  saliency: {
    about: 'the lens: where a picture makes a channel (or the layer) fire, as a heat map over it',
    synopsis: '--input IMG --output OUT.png [--layer mixed4] [--channel N]',
    reads: ['lens.layer', 'lens.channel', 'lens.method', 'lens.samples', 'lens.overlay'],
  },
  filters: {
    about: "the lens: the first convolution's 32 learned filters",
    synopsis: '--output OUT.png',
    reads: [],
  },
};

/** A flag that is not a setting: read by the command itself (render.ts), which checks its value. */
export interface OptionSpec {
  /** What it takes, as the usage shows it; absent: a switch. */
  value?: string;
  /** The commands that take it; absent: all. */
  commands?: readonly Command[];
  about: string;
  short?: string;
}

export const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  input: { value: 'IMG', commands: ['dream', 'zoom', 'video', 'saliency'], about: 'the picture to dream on (video: the video; saliency: the picture looked at)' },
  content: { value: 'IMG', commands: ['style'], about: 'the photo to paint' },
  style: { value: 'IMG[,IMG…]', commands: ['style'], about: 'the painting, or several blended by --style-blend; with --outside other two: inside, outside' },
  output: { value: 'FILE', about: '.png, .jpg/.jpeg or .webp; zoom and video: .mp4, .webm, .mkv or .mov' },
  'output-dir': { value: 'DIR', commands: ['zoom'], about: 'zoom frames as numbered PNGs, each carrying its look (instead of --output)' },
  size: { value: 'N|WxH', about: 'WxH exactly (the input covers it, centre-cropped); N: N×N, for a video its long side' },
  tile: { value: 'N', commands: ['dream', 'style', 'zoom'], about: 'largest tile side, 256–8192 (default: what the device takes)' },
  iterations: { value: 'N', commands: ['style', 'features'], about: 'optimisation steps (style 200, features 256)' },
  channels: { value: 'N|A-B|A,B,…', commands: ['features'], about: 'the channels of the sheet (0-15)' },
  frames: { value: 'N', commands: ['zoom'], about: "frames to render (60; with --audio, the track's length)" },
  'steps-per-frame': { value: 'N', commands: ['zoom', 'video'], about: 'dream steps a frame: zoom 1–20 (5), video 0–20 (2)' },
  fps: { value: 'N', commands: ['zoom'], about: 'frame rate of a video --output (30)' },
  audio: { value: 'FILE', commands: ['zoom'], about: 'a track the zoom follows (frames: its length) and a video --output carries' },
  'audio-map': { value: 'NAME', commands: ['zoom'], about: 'how the picture follows --audio: pulse (zoom kicks on beats; default), bass (deeper with the bass), treble (turns with it)' },
  flow: { value: 'on|off', commands: ['video'], about: 'carry the last dreamed frame along the optical flow (on), or blend each frame in' },
  pull: { value: 'X', commands: ['video'], about: 'pull toward the footage each frame, 0–1 (0.4 with flow, 0.25 without)' },
  guide: { value: 'IMG', commands: ['dream', 'zoom', 'video'], about: "dream toward this picture's features (--guide-weight, default 1)" },
  mask: { value: 'MASK.png', commands: ['dream', 'style', 'zoom', 'video'], about: 'greyscale: white, the look applies; black, the picture is kept (fitted like the input)' },
  backend: { value: 'wasm|cpu|webgpu', about: 'where the network runs (wasm)' },
  json: { about: 'one JSON object per line: each step, then a summary' },
  help: { short: 'h', about: 'this text' },
};

/** The options `command` takes. */
export function optionsOf(command: Command): string[] {
  return Object.keys(OPTIONS).filter((name) => OPTIONS[name]!.commands?.includes(command) ?? true);
}
