/**
 * The one message protocol between the page and the dreaming worker. Every message is a tagged union member
 * (`type`) and is validated on arrival on both sides: a malformed message gets an error reply, never a crash.
 */
import { z } from 'zod';
import { LOOP_CONTROLS } from '../engine/loop/controls';
import { formatIssues } from '../engine/params/schema';
import { MODES, settingsSchema } from '../engine/params/settings';
import { inspectionBuffers, inspectionMessageSchema, pickedBuffers, pickedSchema, pickSchema } from './protocol-inspect';
import { instanceOf } from './protocol-instance';
import { audioMessageSchema } from './protocol-audio';
import { jobCancelSchema, jobDoneSchema, jobErrorSchema, jobProgressSchema, jobStartSchema } from './protocol-jobs';

export * from './protocol-audio';
export * from './protocol-inspect';
export * from './protocol-jobs';

export const BACKENDS = ['auto', 'webgpu', 'wasm', 'cpu', 'webgl'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
/** The most wasm threads a page may ask for (?threads): tfjs's pool starts them all at once. */
export const WASM_THREADS_MAX = 16;
/** `style2` is a second painting that style transfer blends with the first (`style.styleBlend`). */
export const SOURCE_ROLES = ['content', 'style', 'style2', 'guide'] as const;
export type SourceRole = (typeof SOURCE_ROLES)[number];
export { LOOP_CONTROLS as CONTROL_ACTIONS, type LoopControl as ControlAction } from '../engine/loop/controls';

const bitmap = instanceOf<ImageBitmap>('ImageBitmap');

/** The largest side of a mask the page sends (it paints at MASK_SIDE; a dropped look's may be larger). */
export const MAX_MASK_SIDE = 1024;

/** A painted mask: one 8-bit value per pixel, row by row (255: the look applies). */
export const maskImageSchema = z
  .object({
    width: z.number().int().min(1).max(MAX_MASK_SIDE),
    height: z.number().int().min(1).max(MAX_MASK_SIDE),
    data: z.instanceof(Uint8Array),
  })
  .refine((m) => m.data.length === m.width * m.height, { error: 'data must hold width × height values' });
export type MaskImage = z.output<typeof maskImageSchema>;

/** What a snapshot is sized to: the working frame, or the picture as the stage shows it (its device pixels). */
export const SNAPSHOT_SIZES = ['working', 'display'] as const;
export type SnapshotSize = (typeof SNAPSHOT_SIZES)[number];

/** The stage's size in device pixels (0 × 0: not laid out, e.g. hidden). */
export const displaySizeSchema = z.object({
  width: z.number().int().min(0).max(16384),
  height: z.number().int().min(0).max(16384),
});
export type DisplaySize = z.output<typeof displaySizeSchema>;

// ---- page → worker -------------------------------------------------------------------------------------------

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    canvas: instanceOf<OffscreenCanvas>('OffscreenCanvas'),
    backend: z.enum(BACKENDS),
    /** wasm's threads when the page asks for a number (?threads); every core (up to 4) otherwise. */
    threads: z.number().int().min(1).max(WASM_THREADS_MAX).optional(),
    /** Absolute URL of the folder holding model.json (same origin). */
    modelUrl: z.string().url(),
    /** Absolute URLs of the wasm binaries, so the worker never guesses paths. */
    wasmPaths: z.record(z.string(), z.string()),
    settings: settingsSchema,
  }),
  z.object({ type: z.literal('settings'), settings: settingsSchema }),
  z.object({ type: z.literal('source'), role: z.enum(SOURCE_ROLES), image: bitmap, name: z.string().max(200) }),
  z.object({ type: z.literal('camera-frame'), image: bitmap }),
  /** Where the look applies from the next step (null: everywhere); what it does outside is settings.mask. */
  z.object({ type: z.literal('mask'), mask: maskImageSchema.nullable() }),
  z.object({ type: z.literal('control'), action: z.enum(LOOP_CONTROLS) }),
  /**
   * A snapshot: at the working size (absent: so) or at the display size, the picture as the stage shows it, in its
   * device pixels (cover: the stage's size; contain: the picture's rectangle in it), upscaled with a cubic filter.
   */
  z.object({ type: z.literal('snapshot'), id: z.number().int(), size: z.enum(SNAPSHOT_SIZES).optional() }),
  /**
   * The stage's size in device pixels: the worker paints the canvas at the size it is shown (the working frame
   * upscaled with a cubic filter) and, with settings.detail 'sharp', dreams at it.
   */
  z.object({ type: z.literal('display'), ...displaySizeSchema.shape }),
  /** Restart from a saved frame (crash recovery). */
  z.object({ type: z.literal('restore'), image: bitmap }),
  /** A job (zoom export, large still, video file): the live loop pauses while it runs. See protocol-jobs.ts. */
  jobStartSchema,
  jobCancelSchema,
  /** A click on the shown picture, for modes that answer one (see protocol-inspect.ts). */
  pickSchema,
  /** The live sound's features (see protocol-audio.ts): the worker moves the mapped settings, never waits on them. */
  audioMessageSchema,
  /** Test hook: make the next step produce NaN, throw, or behave as if the GPU device was lost. */
  z.object({ type: z.literal('inject-fault'), fault: z.enum(['nan', 'crash', 'device-lost']) }),
]);

export type ToWorker = z.output<typeof toWorkerSchema>;

// ---- worker → page -------------------------------------------------------------------------------------------

const statsSchema = z.object({
  /** Frames finished per second (their pictures on the canvas, not merely queued). */
  fps: z.number(),
  /** Optimisation steps finished per second. */
  stepsPerSecond: z.number(),
  msPerStep: z.number(),
  /** Device time of one step (timestamp queries, sampled every few seconds); absent where there are none. */
  gpuMsPerStep: z.number().optional(),
  iteration: z.number(),
  /** Named losses of the current mode (loss; content, style, tv in style mode). */
  losses: z.record(z.string(), z.number()),
  backend: z.string(),
  /** WebGPU only: whether steps run the recorded plan ("plan"), its network alone ("network plan") or tfjs ops ("ops · why"). */
  stepPath: z.string().optional(),
  resolution: z.tuple([z.number(), z.number()]),
  stepsPerFrame: z.number(),
  paused: z.boolean(),
  mode: z.enum(MODES),
  tensors: z.number(),
  bytes: z.number(),
  /** While live sound moves mapped settings: each target's value now ('stream.zoom' → 1.12). */
  driven: z.record(z.string(), z.number()).optional(),
});
export type Stats = z.output<typeof statsSchema>;

export const ERROR_CAUSES = ['protocol', 'source', 'engine', 'backend', 'device-lost', 'nan'] as const;

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), backend: z.string(), reason: z.string(), adapter: z.string() }),
  z.object({ type: z.literal('stats'), stats: statsSchema }),
  z.object({
    type: z.literal('error'),
    message: z.string(),
    /** fatal: the worker cannot go on (the page restarts it from the last checkpoint). */
    fatal: z.boolean(),
    cause: z.enum(ERROR_CAUSES),
  }),
  z.object({ type: z.literal('notice'), message: z.string() }),
  /** What the worker is doing before the first frame (loading the model, compiling shaders). */
  z.object({ type: z.literal('progress'), message: z.string() }),
  /**
   * The worker's answer to a control, sent at once (a paused loop sends no frames): the page shows what the user
   * did at once and takes this as the confirmation.
   */
  z.object({ type: z.literal('control-done'), action: z.enum(LOOP_CONTROLS), paused: z.boolean() }),
  z.object({ type: z.literal('snapshot'), id: z.number(), png: z.instanceof(ArrayBuffer), width: z.number(), height: z.number() }),
  /** A recent good frame, kept by the page to restart from after a crash. */
  z.object({ type: z.literal('checkpoint'), image: bitmap }),
  z.object({ type: z.literal('camera-ack') }),
  /** Sent every few seconds while the worker's event loop runs, so a slow first frame is not mistaken for a hang. */
  z.object({ type: z.literal('alive') }),
  jobProgressSchema,
  jobDoneSchema,
  jobErrorSchema,
  pickedSchema,
  inspectionMessageSchema,
]);

export type FromWorker = z.output<typeof fromWorkerSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parse<T>(schema: z.ZodType<T>, data: unknown): ParseResult<T> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, message: r.data };
  const detail = formatIssues(r.error.issues, 'message');
  // A job message names its kind too: which of the kinds' payloads was wrong.
  const kind = field(data, 'kind');
  return { ok: false, error: `malformed message "${field(data, 'type') ?? '(no type)'}"${kind ? ` (${kind})` : ''}: ${detail}` };
}

const field = (data: unknown, key: string): string | null =>
  data && typeof data === 'object' && key in data ? String((data as Record<string, unknown>)[key]) : null;

export const parseToWorker = (data: unknown): ParseResult<ToWorker> => parse(toWorkerSchema, data);
export const parseFromWorker = (data: unknown): ParseResult<FromWorker> => parse(fromWorkerSchema, data);

/** The objects a message transfers (not copies) across the boundary. */
export function transferables(m: ToWorker | FromWorker): Transferable[] {
  switch (m.type) {
    case 'init':
      return [m.canvas];
    case 'source':
    case 'camera-frame':
    case 'restore':
    case 'checkpoint':
      return [m.image];
    case 'snapshot':
      return 'png' in m ? [m.png] : [];
    case 'job-start':
      // The soundtrack's PCM moves to the worker instead of being copied (the page keeps its decoded track).
      return m.kind === 'zoom' && m.job.soundtrack ? m.job.soundtrack.channels.map((c) => c.buffer as ArrayBuffer) : [];
    case 'job-done':
      return m.kind === 'large' ? [m.result.png] : [m.result.video];
    case 'mask':
      return m.mask ? [m.mask.data.buffer] : [];
    case 'inspection':
      return inspectionBuffers(m.inspection);
    case 'picked':
      return pickedBuffers(m.info);
    default:
      return [];
  }
}
