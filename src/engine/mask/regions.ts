import type { DreamParams } from '../params/dream';
import type { Settings } from '../params/settings';
import type { Mask } from './mask';

/**
 * A DeepDream step's regions: the step applies where the mask is, and outside either nothing happens (`outside`
 * null) or the step of other parameters (the mask settings' outside layers) does.
 */
export interface DreamRegions {
  mask: Mask;
  outside: DreamParams | null;
}

/** The regions `settings` ask for with `mask` (borrowed), or none without a mask. */
export function dreamRegions(settings: Settings, mask: Mask | null): DreamRegions | undefined {
  if (!mask) return undefined;
  const outside = settings.mask.outside === 'other' ? { ...settings.dream, layers: settings.mask.outsideLayers, channel: -1 } : null;
  return { mask, outside };
}
