import * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-webgpu's backend a plan works with: its device, the GPU buffer behind a tensor, and its
 * command encoder (a plan records into it, so tfjs's pending work and the step go out in one submit). Read by shape,
 * not by class, so the engine does not import the WebGPU backend package (wasm builds never load it).
 */
export interface WebGpuBackendLike {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { resource?: unknown } | undefined };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** The active backend when it is tfjs's WebGPU backend; null on any other. */
export function activeWebGpu(): WebGpuBackendLike | null {
  let b: unknown;
  try {
    b = tf.backend();
  } catch {
    return null;
  }
  const g = b as Partial<WebGpuBackendLike> | null;
  return g && g.device && g.tensorMap && typeof g.uploadToGPU === 'function' && typeof g.submitQueue === 'function' ? (g as WebGpuBackendLike) : null;
}

/** The GPU buffer holding `t` (uploaded first if its values are still on the CPU). */
export function bufferOf(b: WebGpuBackendLike, t: tf.Tensor): GPUBuffer {
  b.uploadToGPU(t.dataId);
  const resource = b.tensorMap.get(t.dataId)?.resource;
  if (!resource || typeof (resource as GPUBuffer).mapAsync !== 'function') throw new Error('tensor is not held in a GPU buffer');
  return resource as GPUBuffer;
}

/** A float32 tensor whose buffer comes from tfjs's pool (a freed one of the same size: no creation) and is not filled. */
export function emptyTensor<R extends tf.Rank>(b: WebGpuBackendLike, shape: number[]): tf.Tensor<R> {
  const info = b.makeTensorInfo(shape, 'float32');
  const t = tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
  b.uploadToGPU(t.dataId);
  return t;
}

/** tfjs's command encoder while it holds work not yet submitted (tfjs drops it at each submit); null otherwise. */
export function pendingEncoder(b: WebGpuBackendLike): GPUCommandEncoder | null {
  return (b as unknown as { commandEncoder?: GPUCommandEncoder | null }).commandEncoder ?? null;
}

/** tfjs's command encoder, its compute pass closed, for a plan to record into. */
export function openEncoder(b: WebGpuBackendLike): GPUCommandEncoder {
  b.ensureCommandEncoderReady();
  b.endComputePassEncoder();
  return (b as unknown as { commandEncoder: GPUCommandEncoder }).commandEncoder;
}

/**
 * Submits tfjs's encoder with its compute pass closed first. tfjs's own submitQueue does not close it (its callers
 * do), and finishing an encoder with a pass open invalidates the whole command buffer: tfjs's pending dispatches
 * (a stream frame's zoom and colour guard) were lost that way.
 */
export function submitPending(b: WebGpuBackendLike): void {
  b.endComputePassEncoder();
  b.submitQueue();
}

/**
 * Submits tfjs's encoder if it is `encoder`, still holding commands that read buffers or uniforms about to change (a
 * queue.writeBuffer reaches the queue ahead of commands not yet submitted) or be destroyed.
 */
export function submitIfPending(b: WebGpuBackendLike, encoder: GPUCommandEncoder | null): void {
  if (encoder && pendingEncoder(b) === encoder) submitPending(b);
}

/** An op of our own for tfjs's tape: its forward pass makes the outputs, its backward pass each input's gradient. */
export interface PlanOp {
  inputs: Record<string, tf.Tensor>;
  forwardFunc: (backend: unknown, save: (t: tf.Tensor[]) => void) => tf.Tensor[];
  backwardsFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
}

/**
 * Runs `op` as one differentiable op (tfjs's engine.runKernelFunc, which its public types do not show): what the
 * plans use to join tfjs's gradients.
 */
export function runPlanOp(op: PlanOp): tf.Tensor[] {
  return (tf.engine() as unknown as { runKernelFunc(p: PlanOp): tf.Tensor[] }).runKernelFunc(op);
}
