import type { ModelRunner } from '../model/runner';
import type { LayerInfo } from '../model/types';

/**
 * The layers the lens can look at, in network order from the stem's first convolution to mixed7 (the runner's
 * pruned trunk), with their channel counts. Convolutions are listed under their activation's name (activation_N).
 */
export function lensLayers(runner: ModelRunner): LayerInfo[] {
  return runner.layers.map((l) => ({ ...l }));
}

/** The block outputs, the usual places to look (mixed0 … mixed7), and the stem's convolutions before them. */
export function mainLayers(runner: ModelRunner): LayerInfo[] {
  const stem = ['activation_1', 'activation_2', 'activation_3', 'activation_4', 'activation_5'];
  return lensLayers(runner).filter((l) => stem.includes(l.name) || /^mixed\d+$/.test(l.name));
}
