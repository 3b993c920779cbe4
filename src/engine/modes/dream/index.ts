import { defineMode } from '../spec';
import { dreamAbout } from './about';
import { DreamMode } from './mode';
import { dreamStill } from './still';

export const dreamMode = defineMode({
  ...dreamAbout,
  createLive: (ctx, settings, size, start) => DreamMode.create(ctx, settings, size, start),
  createStill: dreamStill,
  layers: (settings) => settings.dream.layers.map((l) => l.name),
});
