import * as tf from '@tensorflow/tfjs';
import type { GraphNode, KerasLayer, KerasTopology, Padding } from './types';

const BN_EPSILON_DEFAULT = 1e-3;

function inboundNames(layer: KerasLayer): string[] {
  const first = layer.inbound_nodes[0];
  return first ? first.map(([name]) => name) : [];
}

function pair(v: unknown, what: string): [number, number] {
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  throw new Error(`model topology: ${what} is not a pair`);
}

function weight(weights: tf.NamedTensorMap, name: string): tf.Tensor {
  const w = weights[name];
  if (!w) throw new Error(`model weights: missing ${name}`);
  return w;
}

/**
 * Turns the Keras layer list into a graph of plain ops, folding every BatchNorm into the convolution before it:
 * W' = W·γ/√(var+ε), b' = β − mean·γ/√(var+ε) (γ = 1 when the layer has scale: false). Folding sidesteps the
 * tfjs-layers BatchNorm that cannot be differentiated and halves the op count. Activation layers become a flag
 * on their convolution. Every Keras name maps to the node that now produces it.
 */
export function buildGraph(topology: KerasTopology, weights: tf.NamedTensorMap): { nodes: GraphNode[]; alias: Map<string, string> } {
  const nodes = new Map<string, GraphNode>();
  const alias = new Map<string, string>();
  const resolve = (name: string): string => alias.get(name) ?? name;

  for (const layer of topology.model_config.config.layers) {
    const c = layer.config;
    const inputs = inboundNames(layer).map(resolve);
    switch (layer.class_name) {
      case 'InputLayer':
        nodes.set(layer.name, { kind: 'input', name: layer.name });
        break;
      case 'Conv2D': {
        const kernel = weight(weights, `${layer.name}/kernel`) as tf.Tensor4D;
        const bias = c.use_bias ? (weight(weights, `${layer.name}/bias`) as tf.Tensor1D) : tf.zeros([kernel.shape[3]]);
        if (c.activation !== 'linear') throw new Error(`model topology: fused activation ${String(c.activation)} unsupported`);
        nodes.set(layer.name, {
          kind: 'conv',
          name: layer.name,
          input: inputs[0]!,
          filter: kernel,
          bias: bias as tf.Tensor1D,
          strides: pair(c.strides, 'strides'),
          padding: c.padding as Padding,
          relu: false,
        });
        break;
      }
      case 'BatchNormalization': {
        const conv = nodes.get(inputs[0]!);
        if (!conv || conv.kind !== 'conv' || conv.relu) throw new Error(`model topology: ${layer.name} does not follow a convolution`);
        const eps = typeof c.epsilon === 'number' ? c.epsilon : BN_EPSILON_DEFAULT;
        const folded = tf.tidy(() => {
          const mean = weight(weights, `${layer.name}/moving_mean`);
          const variance = weight(weights, `${layer.name}/moving_variance`);
          const gamma = c.scale === false ? tf.onesLike(mean) : weight(weights, `${layer.name}/gamma`);
          const beta = c.center === false ? tf.zerosLike(mean) : weight(weights, `${layer.name}/beta`);
          const k = gamma.div(variance.add(eps).sqrt());
          return {
            filter: conv.filter.mul(k) as tf.Tensor4D,
            bias: beta.add(conv.bias.sub(mean).mul(k)) as tf.Tensor1D,
          };
        });
        conv.filter = folded.filter;
        conv.bias = folded.bias;
        alias.set(layer.name, conv.name);
        break;
      }
      case 'Activation': {
        const conv = nodes.get(inputs[0]!);
        if (c.activation !== 'relu' || !conv || conv.kind !== 'conv' || conv.relu) {
          throw new Error(`model topology: activation ${layer.name} (${String(c.activation)}) must be a ReLU after a convolution`);
        }
        conv.relu = true;
        alias.set(layer.name, conv.name);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        nodes.set(layer.name, {
          kind: layer.class_name === 'MaxPooling2D' ? 'maxPool' : 'avgPool',
          name: layer.name,
          input: inputs[0]!,
          size: pair(c.pool_size, 'pool_size'),
          strides: pair(c.strides, 'strides'),
          padding: c.padding as Padding,
        });
        break;
      case 'Concatenate':
        if (c.axis !== -1 && c.axis !== 3) throw new Error(`model topology: ${layer.name} concatenates on axis ${String(c.axis)}`);
        nodes.set(layer.name, { kind: 'concat', name: layer.name, inputs });
        break;
      default:
        // The head (Flatten, Dense, Dropout) is pruned by the build script; anything else is a new model.
        throw new Error(`model topology: layer type ${layer.class_name} (${layer.name}) is not supported`);
    }
  }
  return { nodes: [...nodes.values()], alias };
}
