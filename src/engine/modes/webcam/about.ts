import { z } from 'zod';
import { live } from '../../params/apply';
import { flag, num } from '../../params/schema';
import { defineAbout } from '../about';
import { DREAM_SETTINGS } from '../dream-settings';

/** Webcam dreaming: the camera is the stream's source; it follows the camera's motion or is pulled toward it. */
export const webcamAbout = defineAbout({
  name: 'webcam',
  label: 'Webcam dream',
  settings: {
    ...DREAM_SETTINGS,
    /** Pull toward the camera without flow. */
    webcamBlend: live(num(0, 1, 0.25)),
    /**
     * Stillness gating: how much camera motion modulates the pull (0: fixed pull). A still scene sinks into the
     * dream; motion lets the camera through.
     */
    webcamGate: live(num(0, 1, 0.6)),
    /**
     * Optical flow: the dream is carried along the camera's motion (patterns travel with what moves), and the
     * camera shows through only where the flow cannot be trusted (uncovered background, fast motion). Off: the
     * camera is blended in as above, gated by stillness.
     */
    webcamFlow: live(flag(true)),
    /**
     * With flow: the pull toward the camera each frame where the flow is trusted (0: the dream is only carried). It
     * balances the steps' steady direction (webcam/mode.ts): 0.4 holds the dream at about the strength 0.1 held
     * before the steps kept a direction, and lets it settle within a few frames.
     */
    webcamFlowPull: live(num(0, 1, 0.4)),
  } satisfies Record<string, z.ZodType>,
  source: 'camera',
  pictures: { content: 'Image', paintings: false, guide: true },
  lossNames: ['loss'],
  minResolution: 0,
  maskOther: { label: 'Other layers', layers: true },
});
