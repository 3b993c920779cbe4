import { dreamStill } from '../dream/still';
import { defineMode } from '../spec';
import { webcamAbout } from './about';
import { WebcamMode } from './mode';

export const webcamMode = defineMode({
  ...webcamAbout,
  createLive: (ctx, settings, size, start) => WebcamMode.create(ctx, settings, size, start),
  // A still of the camera's dream is a DeepDream still of the frame on screen.
  createStill: dreamStill,
  layers: (settings) => settings.dream.layers.map((l) => l.name),
});
