import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { GraphNode } from '../model/types';
import type { FeatureTarget } from './targets';

type ConvNode = Extract<GraphNode, { kind: 'conv' }>;

/** Where a channel's value comes from: the convolution (and its own channel) that makes it, or the layer itself. */
export type ChannelSource = { kind: 'conv'; node: ConvNode; local: number } | { kind: 'layer'; layer: string; channel: number };

/**
 * The convolution behind channel `channel` of `layer`: the layer itself if it is one, else the concat input the
 * channel falls in, followed down. A channel made by a pool (mixed3's max-pool branch) has none.
 */
export function channelSource(runner: ModelRunner, layer: string, channel: number): ChannelSource {
  const { nodes, targets } = runner.graph([layer]);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let node = byName.get(targets[0]!)!;
  let local = channel;
  for (;;) {
    if (node.kind === 'conv' && node.relu) return { kind: 'conv', node, local };
    if (node.kind !== 'concat') return { kind: 'layer', layer, channel };
    let next: GraphNode | undefined;
    for (const input of node.inputs) {
      const n = runner.channels(input);
      if (local < n) {
        next = byName.get(input);
        break;
      }
      local -= n;
    }
    if (!next) throw new RangeError(`${layer} has no channel ${channel}`);
    node = next;
  }
}

interface Group {
  /** The tensor's source: a conv's input layer (graph name) or the target layer. */
  input: string;
  /** [kh, kw, in, k] and [k]: the conv's filters for the channels used (conv groups only). */
  filter?: tf.Tensor4D;
  bias?: tf.Tensor1D;
  node?: ConvNode;
  /** Channels of the source layer used (layer groups only). */
  channels?: number[];
  /** [B, k]: each item's weight on each of the group's channels. */
  weights: Float32Array;
  k: number;
}

/**
 * Scores a batch whose item b is scored by targets[b]. With `preRelu` (the default), a channel made by a
 * convolution is scored before its ReLU, as Lucid scores InceptionV1's "_pre_relu" layers: a channel that is off
 * everywhere on the starting noise still has a gradient, where after the ReLU it would have none and never grow.
 * Only the few filters the targets use are run again, on the layer the network already computed.
 */
export class TargetScorer {
  /** The layers (runner names) score() needs in `acts`. */
  readonly outputs: string[];
  private readonly groups: Group[] = [];

  constructor(
    runner: ModelRunner,
    private readonly targets: readonly FeatureTarget[],
    preRelu = true,
  ) {
    const b = targets.length;
    const entries = new Map<string, { input: string; node?: ConvNode; locals: number[]; terms: { item: number; local: number; weight: number }[] }>();
    targets.forEach((t, item) => {
      for (const { channel, weight } of t.terms) {
        const src: ChannelSource = preRelu ? channelSource(runner, t.layer, channel) : { kind: 'layer', layer: t.layer, channel };
        const key = src.kind === 'conv' ? `conv:${src.node.name}` : `layer:${src.layer}`;
        const local = src.kind === 'conv' ? src.local : src.channel;
        let e = entries.get(key);
        if (!e) entries.set(key, (e = src.kind === 'conv' ? { input: src.node.input, node: src.node, locals: [], terms: [] } : { input: src.layer, locals: [], terms: [] }));
        if (!e.locals.includes(local)) e.locals.push(local);
        e.terms.push({ item, local, weight });
      }
    });
    for (const e of entries.values()) {
      const k = e.locals.length;
      const weights = new Float32Array(b * k);
      for (const t of e.terms) {
        const i = t.item * k + e.locals.indexOf(t.local);
        weights[i] = weights[i]! + t.weight;
      }
      if (e.node) {
        const node = e.node;
        const [filter, bias] = tf.tidy(() => {
          const idx = tf.tensor1d(e.locals, 'int32');
          return [tf.gather(node.filter, idx, 3) as tf.Tensor4D, tf.gather(node.bias, idx) as tf.Tensor1D];
        });
        this.groups.push({ input: e.input, filter, bias, node, weights, k });
      } else {
        this.groups.push({ input: e.input, channels: e.locals, weights, k });
      }
    }
    this.outputs = [...new Set(this.groups.map((g) => g.input))];
  }

  /** [B]: item b's target value (pre-ReLU where it can be) on its own picture. */
  score(acts: Record<string, tf.Tensor4D>): tf.Tensor1D {
    return tf.tidy(() => {
      const b = this.targets.length;
      const parts = this.groups.map((g) => {
        const src = acts[g.input]!;
        const a = g.node
          ? tf.conv2d(src, g.filter!, g.node.strides, g.node.padding).add(g.bias!)
          : tf.gather(src, tf.tensor1d(g.channels!, 'int32'), 3);
        const [, h, w, k] = a.shape as [number, number, number, number];
        let values = a.mean([1, 2]) as tf.Tensor2D;
        if (this.targets.some((t) => t.at)) {
          const flat = a.reshape([b, h * w, k]);
          const picked = tf.concat(
            this.targets.map((t, i) => {
              const row = Math.min(h - 1, Math.max(0, Math.floor((t.at?.row ?? 0.5) * h)));
              const col = Math.min(w - 1, Math.max(0, Math.floor((t.at?.column ?? 0.5) * w)));
              return flat.slice([i, row * w + col, 0], [1, 1, k]).reshape([1, k]);
            }),
          );
          const isCell = tf.tensor2d(this.targets.map((t) => (t.at ? 1 : 0)), [b, 1]);
          values = picked.mul(isCell).add(values.mul(tf.scalar(1).sub(isCell)));
        }
        return values.mul(tf.tensor2d(g.weights, [b, g.k])).sum(1) as tf.Tensor1D;
      });
      return tf.addN(parts) as tf.Tensor1D;
    });
  }

  dispose(): void {
    for (const g of this.groups) {
      g.filter?.dispose();
      g.bias?.dispose();
    }
  }
}
