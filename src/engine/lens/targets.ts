import * as tf from '@tensorflow/tfjs';

/** A channel's share of an objective. */
export interface ChannelWeight {
  channel: number;
  weight: number;
}

/**
 * What one picture of a feature visualisation maximises: the weighted sum of channels' activations at `layer`,
 * averaged over all positions (a channel, a mix) or taken at one position (a neuron).
 */
export interface FeatureTarget {
  layer: string;
  terms: ChannelWeight[];
  /** A neuron: the position, in the layer's grid, as fractions of its height and width (0.5, 0.5: the centre). */
  at?: { row: number; column: number };
}

/** A channel, everywhere: the picture fills with what the channel answers to. */
export const channelTarget = (layer: string, channel: number): FeatureTarget => ({ layer, terms: [{ channel, weight: 1 }] });

/** A neuron: one channel at one position (the centre by default): one instance, the rest of the picture context. */
export const neuronTarget = (layer: string, channel: number, at = { row: 0.5, column: 0.5 }): FeatureTarget => ({ layer, terms: [{ channel, weight: 1 }], at });

/** A weighted mix of channels (Olah et al.'s "interpolation" and "combination" figures). */
export const mixTarget = (layer: string, terms: ChannelWeight[]): FeatureTarget => ({ layer, terms });

/** A short label: "mixed4:97", "mixed4:97@centre", "mixed4:97+0.5×12". */
export function targetLabel(t: FeatureTarget): string {
  const terms = t.terms.map((c, i) => (c.weight === 1 ? `${i ? '+' : ''}${c.channel}` : `${i && c.weight > 0 ? '+' : ''}${c.weight}×${c.channel}`)).join('');
  return `${t.layer}:${terms}${t.at ? `@${t.at.row === 0.5 && t.at.column === 0.5 ? 'centre' : `${t.at.row},${t.at.column}`}` : ''}`;
}

/**
 * Lucid's diversity term: the mean pairwise cosine similarity of the batch items' Gram matrices at a layer (style,
 * not position). Subtracting it from the objective pushes the pictures of one channel apart. 0 for a batch of one.
 */
export function gramSimilarity(a: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [b, h, w, c] = a.shape;
    if (b < 2) return tf.scalar(0);
    const flat = a.reshape([b, h * w, c]);
    const grams = tf.matMul(flat, flat, true, false).reshape([b, c * c]);
    const unit = grams.div(grams.norm('euclidean', 1, true).maximum(1e-12));
    const sim = tf.matMul(unit, unit, false, true) as tf.Tensor2D; // [B, B], 1 on the diagonal
    return sim.sum().sub(b).div(b * (b - 1)) as tf.Scalar;
  });
}
