/**
 * A recorded plan for one DeepDream step on WebGPU: the whole forward pass, the objective's gradient, the input
 * gradient and the normalised ascent, laid out once per (layers, objective, size) and replayed every frame.
 * These are the plan's own words; graph.ts turns the model's graph into them, gpu-plan.ts into GPU work.
 */

/**
 * Where a tensor lives: an h×w×c image inside buffer `buf`, channel `offset` of `stride` channels per pixel. A
 * branch of an Inception block is a slice of the block's output (no concat), so views share buffers. Every
 * activation buffer has a gradient twin of the same layout.
 */
export interface View {
  buf: number;
  h: number;
  w: number;
  c: number;
  stride: number;
  offset: number;
}

/** A run of consecutive output channels of a (merged) convolution and where they go. */
export interface Segment {
  view: View;
}

/** How a backward op writes its gradient: the first writer of a region stores, later ones add. */
export type WriteMode = 'store' | 'add';

export interface ConvOp {
  kind: 'conv';
  /** Graph names of the convolutions merged here (1×1 convolutions reading the same input become one). */
  names: string[];
  input: View;
  /** The input is the picture, read rolled by the frame's jitter. */
  rolled: boolean;
  segments: Segment[];
  /** Output channels, all segments together. */
  co: number;
  kh: number;
  kw: number;
  stride: [number, number];
  /** Top and left zero padding. */
  pad: [number, number];
  relu: boolean;
  /** Index into PlanGraph.weights. */
  weights: number;
}

export interface PoolOp {
  kind: 'maxPool' | 'avgPool';
  name: string;
  input: View;
  output: View;
  size: [number, number];
  stride: [number, number];
  pad: [number, number];
  /** Max pool: the buffer holding which tap won, per output element (its backward routes the gradient there). */
  argmax: number;
}

export type ForwardOp = ConvOp | PoolOp;

/** The gradient of an objective layer: a/N (l2) or 1/N (mean) on the chosen channels, times the layer's weight. */
export interface SeedOp {
  kind: 'seed';
  layer: string;
  /** Index into the frame's layer weights. */
  slot: number;
  view: View;
  mode: WriteMode;
}

export interface ConvBackOp {
  kind: 'convBack';
  op: ConvOp;
  /** Gradient of the convolution's input. */
  dx: View;
  mode: WriteMode;
}

export interface PoolBackOp {
  kind: 'poolBack';
  op: PoolOp;
  dx: View;
  mode: WriteMode;
}

export type BackwardOp = SeedOp | ConvBackOp | PoolBackOp;

export interface BufferSpec {
  label: string;
  floats: number;
  /** Holds activations (and so has a gradient twin); argmax buffers hold indices and have none. */
  kind: 'activation' | 'argmax';
}

/** A (merged) convolution's weights, as the tfjs tensors to copy from at build time. */
export interface WeightSet {
  names: string[];
}

export interface PlanGraph {
  /** The picture, h×w×3, buffer 0. */
  input: View;
  buffers: BufferSpec[];
  forward: ForwardOp[];
  backward: BackwardOp[];
  weights: WeightSet[];
  /** Gradient buffers that a partial write reaches first: zeroed at the start of every frame. */
  clears: number[];
  /** The objective layers' views, in the order of the frame's layer weights. */
  layers: { name: string; view: View }[];
}

/**
 * An f16 plan (plan/precision.ts). 'f16': activations, their gradients and the filters stored as f16, and the
 * convolutions' products taken in f16, summed in f32. 'f16-storage': the same storage, every product f32 (the
 * comparison DREAMSTREAM_PLAN_F16_PRODUCTS=false gives).
 */
export type HalfPrecision = 'f16' | 'f16-storage';

/** What the plan is built for; a change of any of these builds (or finds) another plan. */
export interface PlanKey {
  layers: string[];
  /** −1: every channel. */
  channel: number;
  objective: 'l2' | 'mean';
  normalise: 'std' | 'mean-abs';
  height: number;
  width: number;
  /** Absent: f32 throughout. Otherwise what is f16, where the device has shader-f16 (plan/precision.ts). */
  precision?: HalfPrecision;
}

/** What changes from frame to frame: one small write. */
export interface FrameScalars {
  /** The jitter roll, in pixels. */
  dy: number;
  dx: number;
  stepSize: number;
  /** Per objective layer, in PlanKey.layers order. */
  weights: number[];
  /** Style transfer's loss weights: content, style, total variation (0 where unused). */
  loss?: [number, number, number];
  /** A style iteration's view: where its reflect padding puts the picture's first row and column. */
  view?: [number, number];
  /** A style iteration's Adam step: the learning rate and the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ. */
  adam?: [number, number, number];
}

export const MAX_PLAN_LAYERS = 8;

export function planKeyString(k: PlanKey): string {
  return `${k.layers.join('+')}|c${k.channel}|${k.objective}|${k.normalise}|${k.height}x${k.width}${k.precision ? `|${k.precision}` : ''}`;
}
