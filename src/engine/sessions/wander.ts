import type { DreamParams } from '../params/dream';
import { DREAM_LAYERS } from '../params/layers';

/**
 * The wander: a long stream's objective drifts, smoothly and reproducibly, through the layers, so the picture keeps
 * finding new kinds of things instead of settling on one motif (a field of eyes) for good. The chosen layers keep a
 * quarter of their weight; the rest is handed around the chosen layers and their neighbours in depth (one block
 * finer, one coarser: the look keeps its scale of things, textures or objects), by
 * smooth seeded noise over the frame count: for stretches one or two layers lead (their motifs take over), then
 * others. Only the weights move; the set of layers is fixed while the settings are, so nothing is rebuilt
 * (the WebGPU plan takes weights per frame).
 */

/** Frames one stretch of the noise lasts at speed 1; a wander of speed s changes its lead every ~FRAMES_PER_CELL/s frames. */
export const FRAMES_PER_CELL = 60;
/** The share of the weight the chosen layers keep whatever the wander does. */
const KEPT = 0.25;
/**
 * The softmax temperature over the layers' noise: low enough that for stretches one or two layers carry the
 * wander's share (their motifs take over), high enough that the lead passes smoothly (a weight moves by at most
 * a few percent of the total a frame at speed 1).
 */
const TEMPERATURE = 0.12;
const MAX_LAYERS = 8;

/** A deterministic hash of (seed, layer, cell) to [0, 1): the noise's value at an integer cell. */
function cellValue(seed: number, layer: number, cell: number): number {
  let h = (seed ^ Math.imul(layer + 1, 0x9e3779b1) ^ Math.imul(cell, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth 1-D value noise in [0, 1]: cell values joined by a smoothstep, so weights never jump. */
export function wanderNoise(seed: number, layer: number, t: number): number {
  const cell = Math.floor(t);
  const f = t - cell;
  const s = f * f * (3 - 2 * f);
  return cellValue(seed, layer, cell) * (1 - s) + cellValue(seed, layer, cell + 1) * s;
}

const depth = (n: string) => DREAM_LAYERS.indexOf(n as (typeof DREAM_LAYERS)[number]);

/** The chosen layers and their neighbours in depth, in the network's order (at most 8; the chosen ones always stay). */
export function wanderLayers(dream: DreamParams): string[] {
  const chosen = dream.layers.map((l) => l.name);
  const near = chosen.flatMap((n) => (depth(n) < 0 ? [] : [DREAM_LAYERS[depth(n) - 1], DREAM_LAYERS[depth(n) + 1]]));
  const extra = [...new Set(near)].filter((n): n is (typeof DREAM_LAYERS)[number] => n !== undefined && !chosen.includes(n));
  return [...chosen, ...extra.slice(0, Math.max(0, MAX_LAYERS - chosen.length))].sort((a, b) => depth(a) - depth(b));
}

/** The dream parameters at `frame` of a stream wandering at `speed` (0: the parameters as they are). */
export function wandered(dream: DreamParams, speed: number, frame: number): DreamParams {
  if (!(speed > 0)) return dream;
  const names = wanderLayers(dream);
  const base = new Map(dream.layers.map((l) => [l.name, l.weight]));
  const total = dream.layers.reduce((s, l) => s + l.weight, 0);
  const t = (frame * speed) / FRAMES_PER_CELL;
  const lead = names.map((n, i) => Math.exp(wanderNoise(dream.seed, depth(n) < 0 ? 100 + i : depth(n), t) / TEMPERATURE));
  const leadSum = lead.reduce((a, b) => a + b, 0);
  const layers = names.map((name, i) => ({ name, weight: (base.get(name) ?? 0) * KEPT + (lead[i]! / leadSum) * total * (1 - KEPT) }));
  return { ...dream, layers };
}
