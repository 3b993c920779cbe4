import * as tf from '@tensorflow/tfjs';
import { currentProfile, type BackendProfile } from '../backend/profile';
import { FastConv, stockConv } from './gradients/conv2d-input';
import { wasmMaxPool } from './gradients/max-pool';
import { SamePoolCounts } from './gradients/avg-pool-same';
import { wasmConcatChannels } from './gradients/concat';
import { layerGrids, type LayerGrid } from './geometry';
import { buildGraph } from './topology';
import { disposePlanner } from '../plan/planner';
import { plannedRun } from '../plan/network-run';
import type { GradientMode, GraphNode, LayerInfo, ModelArtifacts } from './types';

/** InceptionV3's stem uses valid padding: below this the deepest stem layers have no pixels left. */
export const MIN_INPUT_SIZE = 75;

/**
 * The smallest side ≥ `n` that every stride-2 'valid' layer up to mixed7 divides exactly (the stem's conv and two
 * max-pools, mixed3's reduction): 16k + 11. At any other side those layers drop the last rows and columns, so the
 * network weighs the bottom and right edges of its input up to 2–7× less than the top and left ones (measured on
 * the input gradient) and an optimisation there is held less by its content and changes more.
 */
export function exactSide(n: number): number {
  return n + ((((11 - n) % 16) + 16) % 16);
}

/**
 * Runs the BatchNorm-folded network layer by layer on plain tfjs ops, for any input size ≥ 75 px, and returns
 * whichever named layers are asked for. Only the nodes those layers depend on are computed.
 * Input: [1,H,W,3] in [-1, 1] (Keras InceptionV3 preprocessing, x/127.5 − 1).
 */
export class ModelRunner {
  readonly layers: LayerInfo[];
  private readonly nodes: GraphNode[];
  private readonly index = new Map<string, number>();
  private readonly alias: Map<string, string>;
  private readonly fastConvs = new Map<string, FastConv>();
  private readonly pools = new Map<string, SamePoolCounts>();
  private readonly channelCount = new Map<string, number>();
  /**
   * Plain-JS kernels over the wasm heap for the memory-bound parts of the backward pass (max-pool gradient, phase
   * interleave, concat gradient), where wasm's own kernels are slow. Where the profile asks for them, 'fast'
   * gradients only.
   */
  private readonly heapKernels: boolean;
  private disposed = false;

  private constructor(nodes: GraphNode[], alias: Map<string, string>, readonly gradientMode: GradientMode, profile: BackendProfile) {
    this.nodes = nodes;
    this.alias = alias;
    nodes.forEach((n, i) => this.index.set(n.name, i));
    const channels = this.channelCount;
    const strategy = profile.convGradient;
    this.heapKernels = gradientMode === 'fast' && profile.heapKernels;
    for (const n of nodes) {
      if (n.kind === 'input') channels.set(n.name, 3);
      else if (n.kind === 'conv') channels.set(n.name, n.filter.shape[3]);
      else if (n.kind === 'concat') channels.set(n.name, n.inputs.reduce((s, i) => s + (channels.get(i) ?? 0), 0));
      else channels.set(n.name, channels.get(n.input) ?? 0);
      if (gradientMode === 'fast') {
        if (n.kind === 'conv') this.fastConvs.set(n.name, new FastConv(n.filter, n.bias, n.strides, n.padding, n.relu, strategy, this.heapKernels));
        if (n.kind === 'avgPool' && n.padding === 'same' && n.strides[0] === 1 && n.strides[1] === 1) {
          this.pools.set(n.name, new SamePoolCounts(n.size));
        }
      }
    }
    // Layers are listed under the name users know: a conv node is named after its activation (activation_N).
    const publicName = new Map<string, string>();
    for (const [from, to] of alias) publicName.set(to, from);
    this.layers = nodes
      .filter((n) => n.kind !== 'input')
      .map((n) => ({ name: publicName.get(n.name) ?? n.name, channels: channels.get(n.name) ?? 0, kind: n.kind }));
  }

  /** `profile`: the backend the runner will run on, read once here (its gradient strategy is fixed per runner). */
  static fromArtifacts(artifacts: ModelArtifacts, gradientMode: GradientMode = 'fast', profile: BackendProfile = currentProfile()): ModelRunner {
    const weights = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    const { nodes, alias } = buildGraph(artifacts.modelTopology, weights);
    const used = new Set<tf.Tensor>();
    for (const n of nodes) if (n.kind === 'conv') used.add(n.filter).add(n.bias);
    for (const t of Object.values(weights)) if (!used.has(t)) t.dispose();
    return new ModelRunner(nodes, alias, gradientMode, profile);
  }

  /** True when `name` is a layer of this model (by its Keras name). */
  has(name: string): boolean {
    return this.index.has(this.alias.get(name) ?? name);
  }

  channels(name: string): number {
    const key = this.alias.get(name) ?? name;
    const info = this.layers.find((l) => (this.alias.get(l.name) ?? l.name) === key);
    if (!info) throw new Error(`unknown layer "${name}"`);
    return info.channels;
  }

  /**
   * Where the positions of each node needed for `outputs` lie on an h×w input (see LayerGrid), keyed by the names
   * `outputs` uses; `all` adds every other node those depend on, under its graph name.
   */
  grids(height: number, width: number, outputs: readonly string[]): { named: Record<string, LayerGrid>; all: LayerGrid[] } {
    const targets = outputs.map((o) => this.key(o));
    const needed = this.ancestors(targets);
    const grids = layerGrids(this.nodes, this.channelCount, height, width);
    const named: Record<string, LayerGrid> = {};
    outputs.forEach((o, i) => (named[o] = grids.get(targets[i]!)!));
    return { named, all: [...needed].map((n) => grids.get(n)!) };
  }

  /**
   * The nodes `outputs` depend on, in graph order, with the graph names of `outputs`: what a recorded GPU plan
   * (engine/plan) compiles. The filters and biases stay the runner's.
   */
  graph(outputs: readonly string[]): { nodes: GraphNode[]; targets: string[] } {
    const targets = outputs.map((o) => this.key(o));
    const needed = this.ancestors(targets);
    return { nodes: this.nodes.filter((n) => needed.has(n.name)), targets };
  }

  private key(name: string): string {
    const key = this.alias.get(name) ?? name;
    if (!this.index.has(key)) throw new Error(`unknown layer "${name}"`);
    return key;
  }

  /** Forward pass to every layer in `outputs`. The caller owns the returned tensors (use inside tf.tidy). */
  run(x: tf.Tensor4D, outputs: readonly string[]): Record<string, tf.Tensor4D> {
    if (this.disposed) throw new Error('model runner used after dispose()');
    const [, h, w] = x.shape;
    if (h < MIN_INPUT_SIZE || w < MIN_INPUT_SIZE) {
      throw new Error(`input ${w}×${h} is below the model's minimum of ${MIN_INPUT_SIZE} px`);
    }
    const planned = plannedRun(this, x, outputs);
    if (planned) return planned;
    const targets = outputs.map((o) => {
      const key = this.alias.get(o) ?? o;
      if (!this.index.has(key)) throw new Error(`unknown layer "${o}"`);
      return key;
    });
    const needed = this.ancestors(targets);
    const values = new Map<string, tf.Tensor4D>();
    const deepest = Math.max(...targets.map((t) => this.index.get(t)!));
    for (let i = 0; i <= deepest; i++) {
      const node = this.nodes[i]!;
      if (!needed.has(node.name)) continue;
      values.set(node.name, this.apply(node, x, values));
    }
    const result: Record<string, tf.Tensor4D> = {};
    outputs.forEach((o, i) => (result[o] = values.get(targets[i]!)!));
    return result;
  }

  private apply(node: GraphNode, x: tf.Tensor4D, values: Map<string, tf.Tensor4D>): tf.Tensor4D {
    const get = (name: string): tf.Tensor4D => values.get(name)!;
    switch (node.kind) {
      case 'input':
        return x;
      case 'conv': {
        const fast = this.fastConvs.get(node.name);
        return fast ? fast.apply(get(node.input)) : stockConv(get(node.input), node.filter, node.bias, node.strides, node.padding, node.relu);
      }
      case 'maxPool':
        return (this.heapKernels ? wasmMaxPool : tf.maxPool)(get(node.input), node.size, node.strides, node.padding);
      case 'avgPool': {
        const pool = this.pools.get(node.name);
        return pool ? pool.apply(get(node.input)) : tf.avgPool(get(node.input), node.size, node.strides, node.padding);
      }
      case 'concat':
        return this.heapKernels ? wasmConcatChannels(node.inputs.map(get)) : tf.concat(node.inputs.map(get), 3);
    }
  }

  private ancestors(targets: string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...targets];
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const node = this.nodes[this.index.get(name)!]!;
      if (node.kind === 'conv' || node.kind === 'maxPool' || node.kind === 'avgPool') stack.push(node.input);
      else if (node.kind === 'concat') stack.push(...node.inputs);
    }
    return seen;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposePlanner(this);
    for (const c of this.fastConvs.values()) c.dispose();
    for (const p of this.pools.values()) p.dispose();
    for (const n of this.nodes) {
      if (n.kind === 'conv') {
        n.filter.dispose();
        n.bias.dispose();
      }
    }
  }
}
