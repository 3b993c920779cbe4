import type * as tf from '@tensorflow/tfjs';

/** What the build script writes to public/models/<name>/: a Keras model.json and its weight bytes. */
export interface ModelArtifacts {
  modelTopology: KerasTopology;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, Record<string, unknown>][][];
}

export interface KerasTopology {
  model_config: { class_name: string; config: { layers: KerasLayer[] } };
}

export type Padding = 'same' | 'valid';

/** A node of the folded graph. Conv nodes already carry BatchNorm (folded) and their ReLU. */
export type GraphNode =
  | { kind: 'input'; name: string }
  | {
      kind: 'conv';
      name: string;
      input: string;
      filter: tf.Tensor4D;
      bias: tf.Tensor1D;
      strides: [number, number];
      padding: Padding;
      relu: boolean;
    }
  | { kind: 'maxPool' | 'avgPool'; name: string; input: string; size: [number, number]; strides: [number, number]; padding: Padding }
  | { kind: 'concat'; name: string; inputs: string[] };

/** How the backward pass is computed; 'fast' and 'stock' must agree (tests check it). */
export type GradientMode = 'fast' | 'stock';

export interface LayerInfo {
  name: string;
  channels: number;
  /** Output size for a 224 px input, to show in the UI and docs. */
  kind: GraphNode['kind'];
}
