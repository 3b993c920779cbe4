import { defineMode } from '../spec';
import { styleAbout } from './about';
import { StyleMode } from './mode';
import { styleStill } from './still';

export const styleMode = defineMode({
  ...styleAbout,
  createLive: (ctx, settings, size, start, iteration) => new StyleMode(ctx, settings, size, start, iteration),
  createStill: styleStill,
  layers: (settings) => [settings.style.contentLayer, ...settings.style.styleLayers.map((l) => l.name)],
});
