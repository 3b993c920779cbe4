import type { SettingsInput } from '../../engine/params/settings';

/** Curated looks: a name, the settings that differ from the defaults, and optionally the sources. */
export interface Preset {
  id: string;
  name: string;
  settings: SettingsInput;
  content?: string;
  style?: string;
  /** A second painting blended with the first (its share in settings.style.styleBlend). */
  style2?: string;
}

export const PRESETS: Preset[] = [
  { id: 'classic', name: 'Classic dream', settings: { mode: 'dream' } },
  // The installation looks (the kiosk's playlist) wander, so a wall left on for days keeps finding new things.
  { id: 'wander', name: 'Endless wander', settings: { mode: 'dream', stream: { zoom: 1.012, wander: 1 } } },
  {
    id: 'eyes',
    name: 'Eyes everywhere',
    settings: { mode: 'dream', dream: { layers: [{ name: 'mixed4', weight: 1 }], stepSize: 0.04 }, stream: { zoom: 1.015, wander: 0.5 } },
  },
  {
    id: 'spiral',
    name: 'Spiral zoom',
    settings: { mode: 'dream', dream: { layers: [{ name: 'mixed5', weight: 1 }] }, stream: { zoom: 1.02, rotate: 0.6, wander: 0.5 } },
  },
  {
    id: 'neuron',
    name: 'One neuron (mixed4, channel 139)',
    settings: { mode: 'dream', dream: { layers: [{ name: 'mixed4', weight: 1 }], channel: 139, stepSize: 0.04 } },
  },
  {
    id: 'texture',
    name: 'Fine texture drift',
    settings: { mode: 'dream', dream: { layers: [{ name: 'mixed1', weight: 1 }, { name: 'mixed2', weight: 1 }] }, stream: { zoom: 1.01, driftX: 1, wander: 0.5 } },
    content: 'coffee',
  },
  { id: 'starry-style', name: 'Cat in The Starry Night (style)', settings: { mode: 'style' }, content: 'chelsea', style: 'starry-night' },
  { id: 'scream-style', name: 'Astronaut in The Scream (style)', settings: { mode: 'style' }, content: 'astronaut', style: 'scream' },
  {
    id: 'starry-scream',
    name: 'Cat in Starry Night and The Scream (blend)',
    settings: { mode: 'style', style: { styleBlend: [0.6, 0.4] } },
    content: 'chelsea',
    style: 'starry-night',
    style2: 'scream',
  },
  { id: 'waves-style', name: 'Cat in waves (style)', settings: { mode: 'style' }, content: 'chelsea', style: 'waves' },
  { id: 'hubble-style', name: 'Astronaut in deep space (style)', settings: { mode: 'style', style: { styleWeight: 300 } }, content: 'astronaut', style: 'hubble' },
  // The lens: what the network sees (a kiosk playlist may tour an atlas).
  { id: 'lens-activations', name: 'Lens: what fires in mixed4', settings: { mode: 'lens', lens: { view: 'activations', layer: 'mixed4' } } },
  { id: 'lens-saliency', name: 'Lens: where mixed5 looks (SmoothGrad)', settings: { mode: 'lens', lens: { view: 'saliency', layer: 'mixed5', method: 'smoothgrad' } } },
  { id: 'lens-atlas', name: 'Lens: atlas of mixed3', settings: { mode: 'lens', lens: { view: 'atlas', layer: 'mixed3' } } },
  { id: 'webcam', name: 'Webcam dream', settings: { mode: 'webcam', dream: { layers: [{ name: 'mixed3', weight: 1 }] } } },
];

export function nextPreset(currentId: string | null): Preset {
  const i = PRESETS.findIndex((p) => p.id === currentId);
  return PRESETS[(i + 1) % PRESETS.length]!;
}
