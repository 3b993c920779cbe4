import * as tf from '@tensorflow/tfjs';
import type { GraphNode } from '../model/types';
import type { WeightBuffers } from './gpu-plan';
import { bufferOf, openEncoder, submitPending, type WebGpuBackendLike } from './tfjs-webgpu';
import type { WeightSet } from './types';

type ConvNode = Extract<GraphNode, { kind: 'conv' }>;

const STORAGE_COPY = 0x80 | 0x04 | 0x08;

/**
 * The plan's convolution weights on the device, one set per (merged) convolution, shared by every plan of a model
 * (sizes and layer sets change, the weights do not). Laid out with tfjs ops on the GPU and copied into buffers of
 * the plan's own, so a plan never depends on a tensor's lifetime.
 */
export class WeightStore {
  private readonly sets = new Map<string, WeightBuffers>();
  bytes = 0;

  constructor(private readonly backend: WebGpuBackendLike) {}

  get(set: WeightSet, nodes: ReadonlyMap<string, GraphNode>): WeightBuffers {
    const key = set.names.join('+');
    const known = this.sets.get(key);
    if (known) return known;
    const convs = set.names.map((n) => nodes.get(n) as ConvNode);
    const [filter, filterT, bias] = tf.tidy(() => {
      const f = convs.length === 1 ? convs[0]!.filter.clone() : tf.concat(convs.map((c) => c.filter), 3);
      const b = convs.length === 1 ? convs[0]!.bias.clone() : tf.concat(convs.map((c) => c.bias));
      return [f, f.transpose([0, 1, 3, 2]), b];
    });
    const device = this.backend.device;
    const made = [filter, filterT, bias].map((t) => {
      const size = Math.ceil((t.size * 4) / 16) * 16;
      this.bytes += size;
      return { t, dst: device.createBuffer({ size, usage: STORAGE_COPY, label: `${key} weights` }) };
    });
    const encoder = openEncoder(this.backend);
    for (const { t, dst } of made) encoder.copyBufferToBuffer(bufferOf(this.backend, t), 0, dst, 0, t.size * 4);
    submitPending(this.backend);
    tf.dispose([filter, filterT, bias]);
    const w = { filter: made[0]!.dst, filterT: made[1]!.dst, bias: made[2]!.dst };
    this.sets.set(key, w);
    return w;
  }

  destroy(): void {
    for (const w of this.sets.values()) for (const b of [w.filter, w.filterT, w.bias]) b.destroy();
    this.sets.clear();
    this.bytes = 0;
  }
}
