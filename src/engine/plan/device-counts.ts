/**
 * Counts what a WebGPU device is asked to do: dispatches, creations of every kind, buffer writes and submits. It
 * wraps the methods of the device object itself (and of the encoders and passes it hands out), so tfjs's work and a
 * plan's are counted alike. For tests and benchmarks: the figures of issue "The GPU step as one recorded plan" are
 * counts, which a CPU adapter (SwiftShader) gives as truly as a GPU.
 */
export interface GpuCounts {
  dispatches: number;
  createBuffer: number;
  createBindGroup: number;
  createPipeline: number;
  createShaderModule: number;
  createCommandEncoder: number;
  writeBuffer: number;
  submit: number;
}

const zero = (): GpuCounts => ({
  dispatches: 0,
  createBuffer: 0,
  createBindGroup: 0,
  createPipeline: 0,
  createShaderModule: 0,
  createCommandEncoder: 0,
  writeBuffer: 0,
  submit: 0,
});

/** Every creation of a GPU object, summed. */
export const creations = (c: GpuCounts): number => c.createBuffer + c.createBindGroup + c.createPipeline + c.createShaderModule;

type AnyFn = (...args: unknown[]) => unknown;

function wrap(target: object, name: string, before: (result?: unknown) => unknown): () => void {
  const t = target as Record<string, AnyFn>;
  const original = t[name]!;
  t[name] = function (this: unknown, ...args: unknown[]) {
    return before(original.apply(target, args));
  };
  return () => {
    t[name] = original;
  };
}

export class DeviceCounter {
  counts: GpuCounts = zero();
  private readonly undo: Array<() => void> = [];

  constructor(device: GPUDevice) {
    const c = () => this.counts;
    const q = device.queue;
    const count = (key: keyof GpuCounts) => (r?: unknown) => {
      c()[key] += 1;
      return r;
    };
    this.undo.push(
      wrap(device, 'createBuffer', count('createBuffer')),
      wrap(device, 'createBindGroup', count('createBindGroup')),
      wrap(device, 'createComputePipeline', count('createPipeline')),
      wrap(device, 'createComputePipelineAsync', count('createPipeline')),
      wrap(device, 'createShaderModule', count('createShaderModule')),
      wrap(q, 'writeBuffer', count('writeBuffer')),
      wrap(q, 'submit', count('submit')),
      wrap(device, 'createCommandEncoder', (encoder) => {
        c().createCommandEncoder += 1;
        wrap(encoder as object, 'beginComputePass', (pass) => {
          wrap(pass as object, 'dispatchWorkgroups', count('dispatches'));
          return pass;
        });
        return encoder;
      }),
    );
  }

  /** The counts since the last take, and a fresh start. */
  take(): GpuCounts {
    const c = this.counts;
    this.counts = zero();
    return c;
  }

  restore(): void {
    for (const u of this.undo.reverse()) u();
    this.undo.length = 0;
  }
}
