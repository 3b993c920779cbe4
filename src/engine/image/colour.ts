import * as tf from '@tensorflow/tfjs';
import { RGB_TO_YIQ as YIQ_ROWS } from '../optimise/colour-step';
import { COLOUR_GUARD, registerColourGuard, type GuardAttrs } from './kernels/guard-kernel';
import { CHANNEL_MOMENTS, registerChannelMoments } from './kernels/moments-kernel';

/** Per-channel means and standard deviations of [1,H,W,C] as one [2,C] tensor (kernels/moments-kernel.ts). */
export function packedMoments(x: tf.Tensor4D): tf.Tensor2D {
  registerChannelMoments();
  return tf.engine().runKernel(CHANNEL_MOMENTS, { x }) as tf.Tensor2D;
}

/** Per-channel mean and standard deviation (its variance + 1e-6 under the root) of [1,H,W,3], as [1,1,1,3] tensors. */
export function channelMoments(x: tf.Tensor4D): { mean: tf.Tensor4D; std: tf.Tensor4D } {
  return tf.tidy(() => {
    const [mean, std] = tf.split(packedMoments(x), 2, 0);
    return { mean: mean!.reshape([1, 1, 1, -1]) as tf.Tensor4D, std: std!.reshape([1, 1, 1, -1]) as tf.Tensor4D };
  });
}

/** The share of the room left before the gamut's edge the guard's pull may take in one frame. */
export const GUARD_REACH = 0.5;

/** Where the guard's reference may sit (model range [-1, 1]): a key with room on both sides, a contrast a dream can hold. */
const REFERENCE_MEAN = 0.3;
const REFERENCE_STD = [0.2, 0.45] as const;
/**
 * The lightest key (the luminance of the reference's mean colour, model range) the guard holds: mid-grey. Held at
 * 0.3 (luminance 0.65), a page of text or a graphic on white streamed into a pastel wash (half the frame light and
 * grey by frame 40; docs/dream/README.md, "The pastel wash"); dark keys down to -0.3 are where the night sky and
 * the deep field stream well. A lighter source's mean colour is moved down as a whole, so its cast is kept.
 */
const REFERENCE_KEY_MAX = 0;

/**
 * The colour guard's reference from a source picture: its per-channel moments, the means kept within
 * ±REFERENCE_MEAN and no lighter as a whole than REFERENCE_KEY_MAX, the spreads within REFERENCE_STD. The guard
 * holds a stream's key and cast, not the source's extremes: a graphic on white asks for most of the frame at white
 * (the stream washes out into pastel), a night sky for most of it at black, and a stream held there has nowhere left
 * to draw. A photo of an ordinary key keeps its own moments; a light one keeps its cast, a step darker.
 */
export function guardReference(source: tf.Tensor4D): { mean: tf.Tensor4D; std: tf.Tensor4D } {
  const { mean, std } = channelMoments(source);
  const out = tf.tidy(() => {
    const held = mean.clipByValue(-REFERENCE_MEAN, REFERENCE_MEAN);
    const key = held.mul(tf.tensor4d([...YIQ_ROWS[0]!], [1, 1, 1, 3])).sum(3, true);
    return {
      mean: held.sub(key.sub(REFERENCE_KEY_MAX).relu()) as tf.Tensor4D,
      std: std.clipByValue(REFERENCE_STD[0], REFERENCE_STD[1]) as tf.Tensor4D,
    };
  });
  tf.dispose([mean, std]);
  return out;
}

/**
 * Pull each channel's mean/std a fraction `strength` toward the reference's. Feedback loops drift slowly in
 * brightness and hue (every step is a small biased push); this holds the stream's palette without freezing it.
 * The pull keeps to the gamut as a dream step does (each pixel's move shortened, never clipped per channel): the
 * moments of a graphic on white ask for half the frame at full white, and clipped every frame that pushed a
 * quarter of the stream's values against the gamut's edge for good. It takes at most GUARD_REACH of the room left,
 * so it approaches the edge and never lands on it. After the moments it is one kernel (./kernels/guard-kernel.ts;
 * 20 tfjs ops before), after the moments as one (./kernels/moments-kernel.ts).
 */
export function guardColour(x: tf.Tensor4D, ref: { mean: tf.Tensor4D; std: tf.Tensor4D }, strength: number): tf.Tensor4D {
  if (strength <= 0) return x.clone();
  registerColourGuard();
  return tf.tidy(() => {
    const attrs: GuardAttrs = { strength, reach: GUARD_REACH };
    return tf.engine().runKernel(COLOUR_GUARD, { x, moments: packedMoments(x), refMean: ref.mean, refStd: ref.std }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  });
}

// RGB ↔ YIQ (NTSC): luminance in Y, chroma in I and Q.
const RGB_TO_YIQ = [
  [0.299, 0.595716, 0.211456],
  [0.587, -0.274453, -0.522591],
  [0.114, -0.321263, 0.311135],
];
const YIQ_TO_RGB = [
  [1, 1, 1],
  [0.9563, -0.2721, -1.107],
  [0.621, -0.6474, 1.7046],
];

function mix(x: tf.Tensor4D, m: number[][]): tf.Tensor4D {
  const [b, h, w] = x.shape;
  return x.reshape([b * h * w, 3]).matMul(tf.tensor2d(m)).reshape([b, h, w, 3]) as tf.Tensor4D;
}

/** Luminance from `result`, chroma from `content` (Gatys et al., "Preserving colour in neural artistic style transfer"). */
export function keepColours(result: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const y = mix(result, RGB_TO_YIQ).slice([0, 0, 0, 0], [-1, -1, -1, 1]);
    const iq = mix(content, RGB_TO_YIQ).slice([0, 0, 0, 1], [-1, -1, -1, 2]);
    return mix(tf.concat([y, iq], 3) as tf.Tensor4D, YIQ_TO_RGB).clipByValue(-1, 1) as tf.Tensor4D;
  });
}
