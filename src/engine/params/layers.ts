/**
 * The InceptionV3 layers the app offers (the trunk is pruned at mixed7). Kept as data so params can be validated
 * without loading the model; the runner re-checks names against the real graph.
 */
export const DREAM_LAYERS = ['mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5', 'mixed6', 'mixed7'] as const;
export const STYLE_LAYERS = ['activation_1', 'activation_3', 'activation_5', 'mixed0', 'mixed1', 'mixed2', 'mixed3'] as const;
export const CONTENT_LAYERS = ['mixed2', 'mixed3', 'mixed4', 'mixed5'] as const;

/** Channels per selectable layer, for channel-level objectives. */
export const LAYER_CHANNELS: Record<string, number> = {
  activation_1: 32,
  activation_3: 64,
  activation_5: 192,
  mixed0: 256,
  mixed1: 288,
  mixed2: 288,
  mixed3: 768,
  mixed4: 768,
  mixed5: 768,
  mixed6: 768,
  mixed7: 768,
};

/** Any Keras layer name of the pruned trunk: mixedN, activation_N, pooling layers. */
export const LAYER_NAME_PATTERN = /^(mixed[0-7]|activation_([1-9]|[1-6][0-9]|70)|(max|average)_pooling2d_[1-7]|conv2d_\d+)$/;
