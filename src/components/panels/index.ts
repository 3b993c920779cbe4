import type { ModeName } from '../../engine/modes/catalog';
import { dreamPanel } from './dream-panel';
import { lensPanel } from './lens-panel';
import type { Panel } from './fields';
import { stylePanel } from './style-panel';
import { webcamPanel } from './webcam-panel';

/** Each mode's section of the settings panel, by the mode's name (a new mode: one panel file and one line here). */
export const MODE_PANELS: Readonly<Record<ModeName, Panel>> = {
  dream: (f, s) => dreamPanel(f, s),
  style: stylePanel,
  webcam: webcamPanel,
  lens: lensPanel,
};
