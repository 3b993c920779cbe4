import { encodePng } from '../painter';
import { renderLarge } from '../render-large';
import { yieldToMessages } from '../yield';
import type { JobHost, JobRun } from './job';

/**
 * A still at 2K/4K/8K from the frame on screen (or the source picture) and the look, through tiles, as a PNG.
 * Progress after every step; a cancel takes effect after the step in progress.
 */
export const largeJob =
  ({ loop, maxBufferBytes }: JobHost): JobRun<'large'> =>
  async (job, ctx) => {
    const sources = loop.modeContext;
    const live = loop.mode?.image;
    if (!sources || !live) throw new Error('no picture to render from yet');
    const frame = job.start === 'source' ? null : loop.display();
    try {
      const start = { frame, liveSide: Math.max(live.shape[1], live.shape[2]) };
      // Messages are let in after every step: a cancel among them.
      const shown = await renderLarge({ ...sources, mask: ctx.mask }, loop.settings, job, start, maxBufferBytes, ctx.progress, yieldToMessages, ctx.cancelled);
      if (!shown) throw new Error('large render cancelled');
      try {
        return await encodePng(shown);
      } finally {
        shown.dispose();
      }
    } finally {
      frame?.dispose();
    }
  };
