import { currentProfile } from '../backend/profile';
import { MIN_INPUT_SIZE, type ModelRunner } from '../model/runner';

/*
 * How large a tile the device takes, from the model's layer shapes. Two limits:
 *
 * - a single buffer: WebGPU binds each tensor as one storage buffer, at most maxStorageBufferBindingSize bytes
 *   (128 MiB unless the adapter offers more; tfjs asks for the adapter's maximum). The largest tensor of a tile's
 *   forward and backward pass is its largest activation (an early layer: 64 channels at half the side), its gradient
 *   having the same shape: measured on wasm, the largest tensor allocated is exactly the largest activation.
 * - everything a tile's pass holds at once: the forward activations on the tape and the gradients of the backward
 *   pass. Measured on wasm (tiles-bench, tf.memory() high-water mark against the sum of the activations): 3.4× the
 *   sum of the activations for DeepDream's default layers, 4.1× for style transfer's (more layers kept for their
 *   Gram matrices). WORKING_SET_FACTOR is the larger.
 */

/** Peak tensor bytes of a tile's forward + backward pass, as a multiple of the sum of its activations' bytes. */
export const WORKING_SET_FACTOR = 4.2;
/** Tile sides are multiples of this (the network's largest stride up to mixed7). */
const SIDE_STEP = 16;
/** No tile smaller than this: below it the overlap would be most of the tile. */
export const MIN_TILE = 256;
/** No tile larger than this, whatever the limits (a side that no device holds anyway). */
export const MAX_TILE = 8192;

/** Bytes of the largest activation of the nodes `layers` need, for a side×side input (float32). */
export function largestActivationBytes(runner: ModelRunner, side: number, layers: readonly string[]): number {
  return Math.max(...runner.grids(side, side, layers).all.map((g) => g.height * g.width * g.channels * 4));
}

/** Estimated peak tensor bytes of one side×side tile's forward and backward pass. */
export function workingSetBytes(runner: ModelRunner, side: number, layers: readonly string[]): number {
  const sum = runner.grids(side, side, layers).all.reduce((s, g) => s + g.height * g.width * g.channels * 4, 0);
  return sum * WORKING_SET_FACTOR;
}

export interface TileLimits {
  /** The largest buffer one tensor may have (WebGPU: adapter.limits.maxStorageBufferBindingSize). */
  bufferBytes?: number;
  /** What a tile's pass may hold in all. */
  workingSetBytes?: number;
}

/**
 * The largest tile side (a multiple of 16, from MIN_TILE to MAX_TILE) whose largest activation fits `bufferBytes`
 * and whose working set fits `workingSetBytes`. MIN_TILE when even that does not fit (the caller may then refuse).
 */
export function tileSide(runner: ModelRunner, layers: readonly string[], limits: TileLimits): number {
  const fits = (s: number) =>
    (limits.bufferBytes === undefined || largestActivationBytes(runner, s, layers) <= limits.bufferBytes) &&
    (limits.workingSetBytes === undefined || workingSetBytes(runner, s, layers) <= limits.workingSetBytes);
  let [lo, hi] = [MIN_TILE / SIDE_STEP, MAX_TILE / SIDE_STEP];
  if (!fits(lo * SIDE_STEP)) return MIN_TILE;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid * SIDE_STEP)) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(MIN_INPUT_SIZE, lo * SIDE_STEP);
}

/**
 * The tile side for the backend running now: its profile's working-set budget, and on WebGPU the adapter's
 * buffer limit (`bufferBytes`, from adapter.limits.maxStorageBufferBindingSize).
 */
export function deviceTileSide(runner: ModelRunner, layers: readonly string[], bufferBytes?: number): number {
  const profile = currentProfile();
  return tileSide(runner, layers, { bufferBytes: bufferBytes ?? profile.tileBufferBytes, workingSetBytes: profile.tileWorkingSet });
}
