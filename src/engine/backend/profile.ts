import * as tf from '@tensorflow/tfjs';

/**
 * What the engine does differently per tfjs backend, in one table. Call sites ask the profile (or run a kernel
 * registered per backend) instead of comparing backend names, so a new backend is one entry here.
 */
export interface BackendProfile {
  /** The starting point and bounds of the adaptive scheduler on this backend. */
  adaptive: {
    /** Frame time the scheduler aims for (ms). */
    targetMs: number;
    minResolution: number;
    maxResolution: number;
    maxSteps: number;
    /** The resolution a stream starts at before any frame has been timed. */
    start: number;
    /** Resolution granularity; a GPU compiles shaders per size, so its ladder is coarse. Absent: fine steps. */
    step?: number;
    /**
     * The largest long side the stage's size may ask for (Sharp, or Smooth climbing to the stage where the device
     * keeps up); absent: maxResolution. Beyond it the worker's cubic upscale covers the rest.
     */
    sharpMaxResolution?: number;
  };
  /** Frames are drawn straight from device memory (no readback). */
  directPaint: boolean;
  /**
   * How a convolution's input gradient is computed: 'forward' as a convolution of the flipped filter (fast where
   * convolutions are the backend's best kernel), 'backprop' through tfjs's own conv2DBackpropInput.
   */
  convGradient: 'forward' | 'backprop';
  /** Plain-JS kernels over the wasm heap for the memory-bound parts of the backward pass. */
  heapKernels: boolean;
  /** Gram matrix FᵀF: 'transposed-operand' lets matMul read Fᵀ in place; 'explicit-transpose' copies it first. */
  gramOrder: 'transposed-operand' | 'explicit-transpose';
  /**
   * Tensor bytes one tile of a tiled render may hold (tiles/tile-size.ts). wasm: its heap ends at 4 GiB and also
   * holds the whole picture's tensors (a 4096² render keeps several of 200 MB). WebGPU: a budget for GPU memory, which
   * the API does not report.
   */
  tileWorkingSet: number;
  /** The largest single tensor a tile may have when the device's own limit is not known (WebGPU's default binding). */
  tileBufferBytes?: number;
}

const MiB = 2 ** 20;

const PROFILES: Record<string, BackendProfile> = {
  webgpu: {
    // Up to 1024 px: with the recorded plan a large GPU streams a 1024² frame at ~50 frames/s (H200, docs/PERFORMANCE).
    adaptive: { targetMs: 33, minResolution: 256, maxResolution: 1024, maxSteps: 4, start: 512, step: 128, sharpMaxResolution: 1536 },
    directPaint: true,
    convGradient: 'forward',
    heapKernels: false,
    gramOrder: 'transposed-operand',
    tileWorkingSet: 2048 * MiB,
    tileBufferBytes: 128 * MiB,
  },
  webgl: {
    adaptive: { targetMs: 50, minResolution: 96, maxResolution: 512, maxSteps: 3, start: 224, sharpMaxResolution: 1024 },
    directPaint: false,
    convGradient: 'forward',
    heapKernels: false,
    gramOrder: 'transposed-operand',
    tileWorkingSet: 1024 * MiB,
    tileBufferBytes: 128 * MiB,
  },
  wasm: {
    adaptive: { targetMs: 250, minResolution: 96, maxResolution: 384, maxSteps: 2, start: 224, sharpMaxResolution: 1024 },
    directPaint: false,
    convGradient: 'forward',
    heapKernels: true,
    gramOrder: 'explicit-transpose',
    // Measured (bench:tiles): a 4096² dream through 848 px tiles (a 1.5 GiB budget) fragmented the heap to its 4 GiB
    // end and hung in tfjs-wasm's allocator; with this budget (592 px tiles) the heap stays at 3.4 GiB for a 1.8 GB
    // high-water mark of live tensors.
    tileWorkingSet: 768 * MiB,
  },
  cpu: {
    adaptive: { targetMs: 400, minResolution: 96, maxResolution: 224, maxSteps: 1, start: 96, sharpMaxResolution: 512 },
    directPaint: false,
    convGradient: 'backprop',
    heapKernels: false,
    gramOrder: 'transposed-operand',
    tileWorkingSet: 1024 * MiB,
  },
};

/** The profile of a backend by name; an unknown backend is treated as wasm (the portable CPU path). */
export function profileOf(backend: string): BackendProfile {
  return PROFILES[backend] ?? PROFILES.wasm!;
}

/** The profile of the backend tfjs is running now. */
export function currentProfile(): BackendProfile {
  return profileOf(tf.getBackend());
}
