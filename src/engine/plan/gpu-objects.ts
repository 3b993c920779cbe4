import { PlanUnsupported } from './graph';
import { resourceKey, type Kernel, type Resource } from './wgsl/kernel';

// GPUBufferUsage, spelled out: the plan also runs where the WebGPU globals are not installed (Dawn in Node).
export const STORAGE = 0x80;
export const UNIFORM = 0x40;
export const COPY_SRC = 0x04;
export const COPY_DST = 0x08;

/** One dispatch made ready once: its pipeline, its bind group and its workgroup grid. */
export interface Recorded {
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  grid: Kernel['grid'];
}

/** The buffers a plan (or what is built on it) owns: made within the device's limit, counted, destroyed together. */
export class OwnedBuffers {
  private readonly list: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of `floats` floats (16-byte multiple, at least 16 bytes); over the device's binding limit: unsupported. */
  make(floats: number, label: string, usage = STORAGE | COPY_SRC | COPY_DST): GPUBuffer {
    const size = Math.max(16, Math.ceil((floats * 4) / 16) * 16);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (size > limit) throw new PlanUnsupported(`${label} needs ${size} bytes, over the device's ${limit}`);
    const b = this.device.createBuffer({ size, usage, label });
    this.list.push(b);
    return b;
  }

  get bytes(): number {
    return this.list.reduce((sum, b) => sum + b.size, 0);
  }

  destroy(): void {
    for (const b of this.list) b.destroy();
  }
}

/** What a build made on the device for its kernels: its buffers by name, counted and destroyed together. */
export abstract class DeviceBuild {
  protected destroyed = false;

  constructor(
    private readonly named: Map<string, GPUBuffer>,
    private readonly owned: OwnedBuffers,
  ) {}

  /** GPU memory of its own buffers. */
  get bytes(): number {
    return this.owned.bytes;
  }

  protected buffer(r: { name: string }): GPUBuffer {
    return this.named.get(r.name)!;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.owned.destroy();
  }
}

/** Kernels whose grid the device cannot dispatch make the build unsupported. */
export function checkGrids(device: GPUDevice, kernels: readonly Kernel[]): void {
  const most = device.limits.maxComputeWorkgroupsPerDimension;
  const wide = kernels.find((k) => k.grid.some((n) => n > most));
  if (wide) throw new PlanUnsupported(`${wide.label} needs ${wide.grid.join('×')} workgroups, over the device's ${most}`);
}

/** `kernel`'s bind group on `pipeline`, its resources found by `resolve`. */
export function bindKernel(device: GPUDevice, kernel: Kernel, pipeline: GPUComputePipeline, resolve: (r: Resource) => GPUBuffer): Recorded {
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: kernel.resources.map((r, binding) => ({ binding, resource: { buffer: resolve(r) } })),
    label: `${kernel.label} (${kernel.resources.map(resourceKey).join(', ')})`,
  });
  return { pipeline, group, grid: kernel.grid };
}

/** Records `list`'s dispatches (those `which` keeps) into `pass`, in order. */
export function dispatchAll<R extends Recorded>(pass: GPUComputePassEncoder, list: readonly R[], which: (r: R) => boolean = () => true): void {
  for (const r of list) {
    if (!which(r)) continue;
    pass.setPipeline(r.pipeline);
    pass.setBindGroup(0, r.group);
    pass.dispatchWorkgroups(r.grid[0], r.grid[1], r.grid[2] ?? 1);
  }
}

/** Records `list`'s dispatches as one compute pass of `encoder`. */
export function recordPass(encoder: GPUCommandEncoder, list: readonly Recorded[]): void {
  const pass = encoder.beginComputePass();
  dispatchAll(pass, list);
  pass.end();
}

/**
 * Runs `make` (every buffer and bind group of a build, in one synchronous stretch) inside the device's error
 * scopes, so that an allocation the device refuses or an object it finds invalid fails the build instead of turning
 * every frame's commands invalid; nothing of tfjs's runs in between, so its errors are never caught here. On an
 * error, or when `make` throws, what was made is destroyed (or, made nothing, the buffers).
 */
export async function madeInErrorScopes<T extends { destroy(): void }>(device: GPUDevice, what: string, buffers: OwnedBuffers, make: () => T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let made: T | null = null;
  try {
    made = make();
  } finally {
    const invalid = device.popErrorScope();
    const memory = device.popErrorScope();
    const error = (await invalid) ?? (await memory);
    if (error || !made) {
      if (made) made.destroy();
      else buffers.destroy();
      if (error) throw new PlanUnsupported(`the device refused ${what}: ${error.message}`);
    }
  }
  return made;
}
