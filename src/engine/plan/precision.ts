import type { HalfPrecision, PlanGraph, PlanKey } from './types';
import type { HalfStorage } from './wgsl/kernel';

/**
 * f16 for a dream step's plan, where the device has shader-f16. The network's activations, their gradients and the
 * filters are stored as f16: half the memory and half the bytes each kernel moves. The convolutions hold their
 * panels in workgroup memory as f16 too and take their products as four-term f16 dot products (twice the
 * multiply-adds an instruction where the GPU packs f16), but every sum over K runs in f32, as do the other kernels'
 * arithmetic (bias, ReLU, pooling, the objective, the step). The picture, its gradient, the biases, the loss and the
 * step's statistics stay f32, so what tfjs hands in and reads back is f32. 'f16-storage' keeps every product f32.
 *
 * Only the dream step runs in f16. The network alone (ModelRunner.run, style transfer's terms) copies activations
 * and gradients to and from tfjs's f32 tensors, so those plans stay f32.
 */
export const SHADER_F16 = 'shader-f16';

/** Which buffers of `graph`'s plan hold f16 under `key` (none in an f32 plan). */
export function halfStorage(graph: PlanGraph, key: PlanKey): HalfStorage {
  if (!key.precision) return () => false;
  return (r) => {
    if (r.type === 'filter' || r.type === 'filterT') return true;
    if (r.type !== 'act' && r.type !== 'grad') return false;
    return r.buf !== graph.input.buf && graph.buffers[r.buf]!.kind === 'activation';
  };
}

/**
 * How much larger an f16 plan writes the objective's gradient than the loss's true one (1 in an f32 plan). The
 * true gradient is w·a/N, with N the layer's elements. At mixed3 of a 512² picture N is 7·10⁵, which puts the
 * gradient below f16's smallest normal number (6·10⁻⁵), where f16 keeps fewer digits and, at larger sides, none.
 * Scaled by a power of two near the smallest N, the objective's gradient is about w·a. The scaling is exact in
 * binary, and it does not change the step: the ascent divides the gradient by its own spread. Measured on lavapipe
 * it changed little up to 512 px (docs/PERFORMANCE.md): the activations' rounding is the larger difference there.
 */
export function gradientScale(graph: PlanGraph, key: PlanKey): number {
  if (!key.precision) return 1;
  const counts = graph.layers.map((l) => l.view.h * l.view.w * (key.channel < 0 ? l.view.c : 1));
  return 2 ** Math.round(Math.log2(Math.min(...counts)));
}

/** What the overlay, the bench's rows and the sheets call an f16 plan: "f16", "f16 storage". */
export const precisionName = (p: HalfPrecision): string => p.replace('-', ' ');

/** Whether the convolutions of `key`'s plan take their products in f16. */
export const halfProducts = (key: PlanKey): boolean => key.precision === 'f16';

/**
 * The precision of a dream step's plan on a device: f16 where it has shader-f16 and DREAMSTREAM_PLAN_F16 is on, with
 * f16 products unless DREAMSTREAM_PLAN_F16_PRODUCTS is off; undefined: f32.
 */
export function planPrecision(features: ReadonlySet<string>, f16: boolean, products: boolean): HalfPrecision | undefined {
  if (!features.has(SHADER_F16) || !f16) return undefined;
  return products ? 'f16' : 'f16-storage';
}

/** The f32 slots `floats` values take in a buffer of this storage (OwnedBuffers.make counts f32s). */
export const storageFloats = (floats: number, half: boolean): number => (half ? Math.ceil(floats / 2) : floats);

const asking = new WeakSet<object>();

interface AdapterLike {
  features: ReadonlySet<string>;
  requestDevice(descriptor?: GPUDeviceDescriptor): Promise<GPUDevice>;
}

/**
 * Makes every device made from `gpu`'s adapters ask for shader-f16 too, where the adapter has it. tfjs makes the
 * device itself and asks only for the features it uses. Call before tfjs's WebGPU backend starts.
 */
export function askForShaderF16(gpu: { requestAdapter(options?: GPURequestAdapterOptions): Promise<unknown> }): void {
  if (asking.has(gpu)) return;
  asking.add(gpu);
  const request = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = async (options) => {
    const adapter = (await request(options)) as AdapterLike | null;
    if (!adapter?.features.has(SHADER_F16)) return adapter;
    const make = adapter.requestDevice.bind(adapter);
    adapter.requestDevice = (d) => make({ ...d, requiredFeatures: [...(d?.requiredFeatures ?? []), SHADER_F16] });
    return adapter;
  };
}
