import { defineAbout } from '../about';
import { DREAM_SETTINGS } from '../dream-settings';

/** The zoom stream: dream steps on the picture, then the stream's zoom, rotation and drift, fed back forever. */
export const dreamAbout = defineAbout({
  name: 'dream',
  label: 'DeepDream zoom',
  settings: DREAM_SETTINGS,
  source: 'picture',
  pictures: { content: 'Image', paintings: false, guide: true },
  lossNames: ['loss'],
  // Dreaming still reads at small sizes: the backend's own minimum is the floor.
  minResolution: 0,
  maskOther: { label: 'Other layers', layers: true },
});
