import { channelTarget, mixTarget, neuronTarget, type FeatureTarget } from '../../lens/targets';
import type { LensParams } from './about';

/** The lens settings that say what a feature visualisation maximises. */
export type TargetParams = Pick<LensParams, 'layer' | 'target' | 'mixWith' | 'mixShare'>;

/**
 * What the settings ask a feature visualisation of `channel` to maximise: the channel, its centre neuron, or its
 * mix with `mixWith` — an interpolation, the second channel taking `mixShare` of the objective and the first the
 * rest (Olah et al.'s figures: ½ each is the picture that answers to both at once).
 */
export function lensTarget(p: TargetParams, channel: number): FeatureTarget {
  switch (p.target) {
    case 'neuron':
      return neuronTarget(p.layer, channel);
    case 'mix':
      return mixTarget(p.layer, [
        { channel, weight: round(1 - p.mixShare) },
        { channel: p.mixWith, weight: round(p.mixShare) },
      ]);
    case 'channel':
      return channelTarget(p.layer, channel);
  }
}

/** Shares as a person set them (0.3, not 0.30000000000000004), for the label and the objective alike. */
const round = (x: number) => Math.round(x * 1000) / 1000;
