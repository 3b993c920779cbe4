import { defineMode } from '../spec';
import { lensAbout } from './about';
import { LensMode } from './mode';
import { lensStill } from './still';

export const lensMode = defineMode({
  ...lensAbout,
  createLive: (ctx, settings, size, start) => new LensMode(ctx, settings, size, start),
  createStill: lensStill,
  layers: (settings) => [settings.lens.layer],
});
