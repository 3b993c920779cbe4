import type { Settings } from '../../params/settings';
import type { Picked, PickAction } from '../mode';

/**
 * What an atlas tile does, chosen by the person: 'choose' (a click) dreams with its channel everywhere, DeepDream's
 * objective becoming it; 'paint' (Shift+click, or the panel's button) dreams with it where the mask is painted, and
 * the mask brush opens: outside, DeepDream goes on with the layers it had (the mask's "other" objective), so the
 * person's strokes decide where the channel appears.
 */
export function atlasTileAction(settings: Settings, layer: string, channel: number, action: PickAction = 'choose'): Picked {
  const dream = { ...settings.dream, layers: [{ name: layer, weight: 1 }], channel };
  if (action === 'choose') return { settings: { ...settings, mode: 'dream', dream }, info: { title: `dreaming with ${layer} #${channel}`, rows: [] } };
  // The layers dreamed until now go on outside; painted into the mask before, its outside stays what it was.
  const outsideLayers = settings.mask.outside === 'other' ? settings.mask.outsideLayers : settings.dream.layers;
  const names = outsideLayers.map((l) => l.name).join(', ');
  return {
    settings: { ...settings, mode: 'dream', dream, mask: { ...settings.mask, outside: 'other', outsideLayers } },
    brush: true,
    info: { title: `paint where ${layer} #${channel} dreams; elsewhere ${names} dream on (M when done)`, rows: [] },
  };
}
