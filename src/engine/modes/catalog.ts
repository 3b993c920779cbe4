/**
 * The built-in modes as the page, the settings schema and the scheduler know them (their abouts: no tensors). The
 * live loop's registry (registry.ts) holds the same modes with their tensor half; a test keeps the two in step.
 */
import type { ModeAbout } from './about';
import { dreamAbout } from './dream/about';
import { lensAbout } from './lens/about';

export { ATLAS_PAGE, LENS_LAYERS, LENS_VIEWS, type LensView } from './lens/about';
import { styleAbout } from './style/about';
import { webcamAbout } from './webcam/about';

/** In the mode picker's order; the first is the default. */
export const MODE_ABOUTS = [dreamAbout, styleAbout, webcamAbout, lensAbout] as const;

export type ModeName = (typeof MODE_ABOUTS)[number]['name'];

export const MODES = MODE_ABOUTS.map((a) => a.name) as unknown as readonly [ModeName, ...ModeName[]];

/** Whether the mode dreams on the camera (choosing it turns the camera on; stopping the camera leaves it). */
export function usesCamera(name: ModeName): boolean {
  return aboutOf(name).source === 'camera';
}

/** Whether the mode works on the camera's frames while the camera is on (the camera button then keeps the mode). */
export function takesCamera(name: ModeName): boolean {
  return aboutOf(name).source !== 'picture';
}

/** The mode the camera button switches to: the first that dreams on the camera. */
export const CAMERA_MODE: ModeName = MODE_ABOUTS.find((a) => a.source === 'camera')!.name;

/** The about of a built-in mode (the schema admits no other name). */
export function aboutOf(name: ModeName): ModeAbout {
  const about = MODE_ABOUTS.find((a) => a.name === name);
  if (!about) throw new Error(`unknown mode ${name}`);
  return about;
}
