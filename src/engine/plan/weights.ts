import * as tf from '@tensorflow/tfjs';
import type { GraphNode } from '../model/types';
import type { WeightBuffers } from './gpu-plan';
import { bufferOf, openEncoder, submitPending, type WebGpuBackendLike } from './tfjs-webgpu';
import type { WeightSet } from './types';

type ConvNode = Extract<GraphNode, { kind: 'conv' }>;

const STORAGE_COPY = 0x80 | 0x04 | 0x08;

/** f32 to f16, element by element, at build time: a filter of an f16 plan (precision.ts). */
const TO_HALF = /* wgsl */ `
enable f16;
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f16>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = id.y * groups.x * 256u + id.x;
  if (i < arrayLength(&dst) && i < arrayLength(&src)) { dst[i] = f16(src[i]); }
}`;

/**
 * The plan's convolution weights on the device, one set per (merged) convolution and storage, shared by every plan
 * of a model (sizes and layer sets change, the weights do not). Laid out with tfjs ops on the GPU and copied (or,
 * for an f16 plan, converted) into buffers of the plan's own, so a plan never depends on a tensor's lifetime.
 */
export class WeightStore {
  private readonly sets = new Map<string, WeightBuffers>();
  private toHalf: GPUComputePipeline | null = null;
  bytes = 0;

  constructor(private readonly backend: WebGpuBackendLike) {}

  /** `half`: the filters as f16 (the bias stays f32). */
  get(set: WeightSet, nodes: ReadonlyMap<string, GraphNode>, half = false): WeightBuffers {
    const key = `${set.names.join('+')}${half ? '|f16' : ''}`;
    const known = this.sets.get(key);
    if (known) return known;
    const convs = set.names.map((n) => nodes.get(n) as ConvNode);
    const [filter, filterT, bias] = tf.tidy(() => {
      const f = convs.length === 1 ? convs[0]!.filter.clone() : tf.concat(convs.map((c) => c.filter), 3);
      const b = convs.length === 1 ? convs[0]!.bias.clone() : tf.concat(convs.map((c) => c.bias));
      return [f, f.transpose([0, 1, 3, 2]), b];
    });
    const device = this.backend.device;
    const made = [filter, filterT, bias].map((t, i) => {
      const halved = half && i < 2;
      const size = Math.max(16, Math.ceil((t.size * (halved ? 2 : 4)) / 16) * 16);
      this.bytes += size;
      return { t, halved, dst: device.createBuffer({ size, usage: STORAGE_COPY, label: `${key} weights` }) };
    });
    const encoder = openEncoder(this.backend);
    for (const { t, halved, dst } of made) {
      if (halved) this.convert(encoder, bufferOf(this.backend, t), dst, t.size);
      else encoder.copyBufferToBuffer(bufferOf(this.backend, t), 0, dst, 0, t.size * 4);
    }
    submitPending(this.backend);
    tf.dispose([filter, filterT, bias]);
    const w = { filter: made[0]!.dst, filterT: made[1]!.dst, bias: made[2]!.dst };
    this.sets.set(key, w);
    return w;
  }

  /** Records `src` (f32) converted into `dst` (f16), `n` values: build-time work, so its objects are made here. */
  private convert(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, n: number): void {
    const device = this.backend.device;
    this.toHalf ??= device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: TO_HALF, label: 'filter to f16' }), entryPoint: 'main' } });
    const group = device.createBindGroup({
      layout: this.toHalf.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: src, size: n * 4 } },
        { binding: 1, resource: { buffer: dst } },
      ],
    });
    const groups = Math.ceil(n / 256);
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.toHalf);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.min(groups, 32768), Math.ceil(groups / 32768));
    pass.end();
  }

  destroy(): void {
    for (const w of this.sets.values()) for (const b of [w.filter, w.filterT, w.bias]) b.destroy();
    this.sets.clear();
    this.bytes = 0;
  }
}
