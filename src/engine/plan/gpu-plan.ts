import { PlanUnsupported } from './graph';
import type { FrameScalars, HalfPrecision, PlanGraph, PlanKey, View } from './types';
import { MAX_PLAN_LAYERS } from './types';
import { convBackward, convForward } from './wgsl/conv';
import { FRAME_BYTES, type Kernel, type Resource } from './wgsl/kernel';
import { bindKernel, checkGrids, COPY_DST, COPY_SRC, dispatchAll, madeInErrorScopes, OwnedBuffers, UNIFORM, type Recorded } from './gpu-objects';
import { poolBackward, poolForward } from './wgsl/pool';
import { finalKernel, seedKernel, STAT_GROUPS, statsKernel, updateKernel } from './wgsl/step';
import { gradientScale, halfProducts, halfStorage, storageFloats } from './precision';


/** A (merged) convolution's weights on the device: HWIO, the transposed HWOI for the input gradient, the bias. */
export interface WeightBuffers {
  filter: GPUBuffer;
  filterT: GPUBuffer;
  bias: GPUBuffer;
}

/**
 * Which part of a step a kernel is: the network's forward pass, the objective's gradient (seed), the network's
 * backward pass, or the step's tail (statistics, scale, update). The network alone (forward; backward from given
 * gradients) serves every other objective through ModelRunner.run.
 */
export type KernelPart = 'forward' | 'seed' | 'backward' | 'tail';

/** Every kernel of one DeepDream step, in the order they run, with its part. */
export function planKernels(graph: PlanGraph, key: PlanKey, wanted?: number): Array<{ kernel: Kernel; part: KernelPart }> {
  const halves = halfStorage(graph, key);
  const precision = { halves, halfProducts: halfProducts(key) };
  const out: Array<{ kernel: Kernel; part: KernelPart }> = graph.forward.map((op) => ({
    kernel: op.kind === 'conv' ? convForward(op, wanted, precision) : poolForward(op, halves),
    part: 'forward',
  }));
  let partials = 0;
  for (const op of graph.backward) {
    if (op.kind === 'seed') {
      const s = seedKernel(op, key, partials, halves, gradientScale(graph, key));
      partials += s.partials;
      out.push({ kernel: s.kernel, part: 'seed' });
    } else if (op.kind === 'convBack') out.push(...convBackward(op.op, op.dx, op.mode, wanted, precision).map((kernel) => ({ kernel, part: 'backward' as const })));
    else out.push({ kernel: poolBackward(op.op, op.dx, op.mode, halves), part: 'backward' });
  }
  for (const kernel of [statsKernel(graph.input, key), finalKernel(graph.input, key, partials), updateKernel(graph.input)]) out.push({ kernel, part: 'tail' });
  return out;
}

function lossPartialCount(kernels: Array<{ kernel: Kernel; part: KernelPart }>): number {
  return kernels.filter((k) => k.part === 'seed').reduce((s, { kernel: k }) => s + k.grid[0] * k.grid[1], 0);
}

const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** Pipelines by their WGSL: a plan rebuilt for a size seen before compiles nothing. */
export function pipelineFor(device: GPUDevice, kernel: Kernel): Promise<GPUComputePipeline> {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let p = cache.get(kernel.code);
  if (!p) {
    const module = device.createShaderModule({ code: kernel.code, label: kernel.label });
    p = device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: kernel.label });
    cache.set(kernel.code, p);
    p.catch(() => cache.delete(kernel.code));
  }
  return p;
}

/** Timestamps at the start and end of the plan's pass, where the device has timestamp queries. */
interface Timing {
  queries: GPUQuerySet;
  resolved: GPUBuffer;
  read: GPUBuffer;
  busy: boolean;
}

const QUERY_RESOLVE = 0x200;
const MAP_READ = 0x01;

/** Bytes of a whole-buffer view. */
const viewBytes = (v: View): number => v.h * v.w * v.c * 4;

interface PlanDispatch extends Recorded {
  part: KernelPart;
}

/**
 * The GPU side of a plan: every buffer, pipeline and bind group made once; a frame is one writeBuffer of its
 * scalars and one pass of dispatches recorded into the caller's encoder. Nothing is created per frame.
 */
export class GpuPlan {
  readonly dispatches: number;
  /** Of those, the network's: its forward and backward passes (what the network alone, as one op, records). */
  readonly networkDispatches: number;
  /** [h, w, c] of each layer, in key order. */
  readonly layerShapes: Array<[number, number, number]>;
  /**
   * Whether the network alone can serve these layers: each one a whole buffer, its gradient stored first, and
   * stored as f32 (an f16 plan serves its own dream step only).
   */
  readonly networkReady: boolean;
  /** How much larger than the true one the step's input gradient is (an f16 plan's loss scaling: precision.ts). */
  readonly gradientScale: number;
  /** f32, or what of the network is f16 (precision.ts). */
  readonly precision: 'f32' | HalfPrecision;
  private readonly frame: GPUBuffer;
  private readonly frameData = new ArrayBuffer(FRAME_BYTES);
  private readonly frameU32 = new Uint32Array(this.frameData);
  private readonly frameF32 = new Float32Array(this.frameData);
  /** Bytes of the picture, [h, w, 3] floats. */
  private readonly pictureBytes: number;
  private readonly timing: Timing | null;
  private destroyed = false;

  private constructor(
    private readonly device: GPUDevice,
    private readonly graph: PlanGraph,
    private readonly recorded: PlanDispatch[],
    private readonly resolve: (r: Resource) => GPUBuffer,
    private readonly owned: OwnedBuffers,
    key: PlanKey,
  ) {
    this.frame = resolve({ type: 'frame' });
    this.gradientScale = gradientScale(graph, key);
    this.precision = key.precision ?? 'f32';
    this.dispatches = recorded.length;
    this.networkDispatches = recorded.filter((r) => r.part === 'forward' || r.part === 'backward').length;
    this.pictureBytes = graph.input.h * graph.input.w * 3 * 4;
    this.layerShapes = graph.layers.map((l) => [l.view.h, l.view.w, l.view.c]);
    this.networkReady =
      !key.precision &&
      graph.layers.every((l) => l.view.offset === 0 && l.view.stride === l.view.c) &&
      graph.backward.every((op) => op.kind !== 'seed' || op.mode === 'store');
    this.timing = device.features.has('timestamp-query')
      ? {
          queries: device.createQuerySet({ type: 'timestamp', count: 2, label: 'plan pass time' }),
          resolved: device.createBuffer({ size: 16, usage: QUERY_RESOLVE | COPY_SRC, label: 'plan pass time' }),
          read: device.createBuffer({ size: 16, usage: MAP_READ | COPY_DST, label: 'plan pass time, read' }),
          busy: false,
        }
      : null;
  }

  /** `wanted`: workgroups a convolution's tile should leave (see tileFor). */
  static async build(device: GPUDevice, graph: PlanGraph, key: PlanKey, weights: WeightBuffers[], wanted?: number): Promise<GpuPlan> {
    if (key.layers.length > MAX_PLAN_LAYERS) throw new PlanUnsupported(`more than ${MAX_PLAN_LAYERS} layers`);
    const kernels = planKernels(graph, key, wanted);
    checkGrids(device, kernels.map((k) => k.kernel));
    const owned = new OwnedBuffers(device);
    const make = (floats: number, label: string, usage?: number) => owned.make(floats, label, usage);
    const compiled = await Promise.all(kernels.map((k) => pipelineFor(device, k.kernel)));
    const halves = halfStorage(graph, key);
    const floats = (s: PlanGraph['buffers'][number], r: Resource) => storageFloats(s.floats, halves(r));
    // A refused build leaves the step on tfjs ops.
    return madeInErrorScopes(device, 'the plan', owned, () => {
      const acts = graph.buffers.map((s, buf) => make(floats(s, { type: 'act', buf }), s.label));
      const grads = graph.buffers.map((s, buf) => (s.kind === 'activation' ? make(floats(s, { type: 'grad', buf }), `d ${s.label}`) : acts[buf]!));
      const fixed: Record<string, GPUBuffer> = {
        frame: make(FRAME_BYTES / 4, 'frame scalars', UNIFORM | COPY_DST),
        lossPartials: make(lossPartialCount(kernels), 'loss partials'),
        statPartials: make(STAT_GROUPS * 2, 'gradient partials'),
        result: make(4, 'scale and loss'),
        output: make(graph.input.h * graph.input.w * 3, 'output'),
      };
      const resolve = (r: Resource): GPUBuffer => {
        switch (r.type) {
          case 'act':
          case 'argmax':
            return acts[r.buf]!;
          case 'grad':
            return grads[r.buf]!;
          case 'filter':
            return weights[r.set]!.filter;
          case 'filterT':
            return weights[r.set]!.filterT;
          case 'bias':
            return weights[r.set]!.bias;
          default:
            return fixed[r.type]!;
        }
      };
      const recorded = kernels.map(({ kernel: k, part }, i) => ({ ...bindKernel(device, k, compiled[i]!, resolve), part }));
      return new GpuPlan(device, graph, recorded, resolve, owned, key);
    });
  }

  /** The frame's scalars, written before the frame's commands run (queue order). */
  writeFrame(s: FrameScalars): void {
    const { h, w } = this.graph.input;
    const [u, f] = [this.frameU32, this.frameF32];
    u[0] = ((s.dy % h) + h) % h;
    u[1] = ((s.dx % w) + w) % w;
    f[2] = s.stepSize;
    f.fill(0, 4);
    s.weights.forEach((v, i) => (f[4 + i] = v));
    s.loss?.forEach((v, i) => (f[12 + i] = v));
    s.view?.forEach((v, i) => (u[16 + i] = v));
    s.adam?.forEach((v, i) => (f[20 + i] = v));
    this.device.queue.writeBuffer(this.frame, 0, this.frameData);
  }

  /**
   * Records one step: the picture copied in from `src`, every dispatch in one compute pass, the new picture copied
   * to `dst` and the loss (one float) to `loss`.
   */
  encode(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, loss: GPUBuffer, timed = false): void {
    if (this.destroyed) throw new Error('GPU plan used after destroy()');
    this.generation += 1;
    this.lastEncoder = encoder;
    for (const b of this.graph.clears) encoder.clearBuffer(this.resolve({ type: 'grad', buf: b }));
    encoder.copyBufferToBuffer(src, 0, this.resolve({ type: 'act', buf: this.graph.input.buf }), 0, this.pictureBytes);
    const t = timed && this.timing && !this.timing.busy ? this.timing : null;
    const pass = encoder.beginComputePass(t ? { timestampWrites: { querySet: t.queries, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
    this.dispatch(pass, () => true);
    pass.end();
    if (t) {
      encoder.resolveQuerySet(t.queries, 0, 2, t.resolved, 0);
      encoder.copyBufferToBuffer(t.resolved, 0, t.read, 0, 16);
      t.busy = true;
    }
    encoder.copyBufferToBuffer(this.resolve({ type: 'output' }), 0, dst, 0, this.pictureBytes);
    encoder.copyBufferToBuffer(this.resolve({ type: 'result' }), 4, loss, 0, 4);
  }

  /** Forward passes recorded so far: a backward pass must follow the forward pass whose activations it reads. */
  generation = 0;

  /**
   * The encoder this plan last recorded into. Until it is submitted, its commands still read the frame's scalars
   * and the plan's buffers: a new writeFrame (it reaches the queue at once) or destroy() must wait for that submit
   * (flushPlan in planner.ts).
   */
  lastEncoder: GPUCommandEncoder | null = null;

  private dispatch(pass: GPUComputePassEncoder, which: (part: KernelPart) => boolean): void {
    dispatchAll(pass, this.recorded, (r) => which(r.part));
  }

  /**
   * The network's forward pass on `src` (the frame's roll must be zero: writeFrame with dy = dx = 0), each layer's
   * activations copied to `outs` (in key order).
   */
  encodeForward(encoder: GPUCommandEncoder, src: GPUBuffer, outs: GPUBuffer[]): void {
    this.networkOnly();
    this.generation += 1;
    this.lastEncoder = encoder;
    encoder.copyBufferToBuffer(src, 0, this.resolve({ type: 'act', buf: this.graph.input.buf }), 0, this.pictureBytes);
    const pass = encoder.beginComputePass();
    this.dispatch(pass, (p) => p === 'forward');
    pass.end();
    this.graph.layers.forEach((l, i) => {
      if (outs[i]) encoder.copyBufferToBuffer(this.resolve({ type: 'act', buf: l.view.buf }), 0, outs[i]!, 0, viewBytes(l.view));
    });
  }

  /**
   * The network's backward pass from the layers' gradients to the picture's, into `dx`. The layers' gradients are
   * `dys` (null: zero), copied in, or written by `seed` (an extension's kernels: style transfer's terms), which
   * must store every layer's whole gradient.
   */
  encodeBackward(encoder: GPUCommandEncoder, dys: Array<GPUBuffer | null> | ((encoder: GPUCommandEncoder) => void), dx: GPUBuffer): void {
    this.networkOnly();
    this.lastEncoder = encoder;
    for (const b of this.graph.clears) encoder.clearBuffer(this.resolve({ type: 'grad', buf: b }));
    if (typeof dys === 'function') dys(encoder);
    else {
      this.graph.layers.forEach((l, i) => {
        const g = this.resolve({ type: 'grad', buf: l.view.buf });
        if (dys[i]) encoder.copyBufferToBuffer(dys[i]!, 0, g, 0, viewBytes(l.view));
        else encoder.clearBuffer(g, 0, viewBytes(l.view));
      });
    }
    const pass = encoder.beginComputePass();
    this.dispatch(pass, (p) => p === 'backward');
    pass.end();
    encoder.copyBufferToBuffer(this.resolve({ type: 'grad', buf: this.graph.input.buf }), 0, dx, 0, this.pictureBytes);
  }

  /**
   * Device time of the pass recorded with `timed` (call once it is submitted): ms, or null where the device has no
   * timestamp queries or another timing is still being read.
   */
  async passMs(): Promise<number | null> {
    const t = this.timing;
    if (!t || !t.busy) return null;
    try {
      await t.read.mapAsync(MAP_READ);
      const [start, end] = new BigUint64Array(t.read.getMappedRange(0, 16));
      t.read.unmap();
      return Number(end! - start!) / 1e6;
    } catch {
      return null;
    } finally {
      t.busy = false;
    }
  }

  /** An f16 plan's layers hold f16, which tfjs's tensors and the extensions' f32 kernels would misread. */
  private networkOnly(): void {
    if (this.precision !== 'f32') throw new Error('an f16 plan serves its own dream step only (precision.ts)');
  }

  /** Layer `i`'s activations and gradient (key order): an extension's kernels read and write them. */
  layerBuffers(i: number): { act: GPUBuffer; grad: GPUBuffer } {
    this.networkOnly();
    const buf = this.graph.layers[i]!.view.buf;
    return { act: this.resolve({ type: 'act', buf }), grad: this.resolve({ type: 'grad', buf }) };
  }

  /** The frame's scalars (an extension's kernels read the layers' weights there). */
  get frameUniform(): GPUBuffer {
    return this.frame;
  }

  /** What was built on this plan (its buffers): counted in its bytes, destroyed with it. */
  private readonly attached: Array<{ readonly bytes: number; destroy(): void }> = [];

  attach(extension: { readonly bytes: number; destroy(): void }): void {
    this.attached.push(extension);
  }

  /** GPU memory the plan holds, with what was built on it (the planner's cache bound counts this). */
  get bytes(): number {
    return this.attached.reduce((sum, e) => sum + e.bytes, this.owned.bytes);
  }

  /** Records a copy of the last step's input gradient (at the rolled picture), for checks against tfjs's. */
  copyGradient(encoder: GPUCommandEncoder, dst: GPUBuffer): void {
    this.lastEncoder = encoder;
    encoder.copyBufferToBuffer(this.resolve({ type: 'grad', buf: this.graph.input.buf }), 0, dst, 0, this.pictureBytes);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const e of this.attached) e.destroy();
    this.owned.destroy();
    if (this.timing) {
      this.timing.queries.destroy();
      this.timing.resolved.destroy();
      this.timing.read.destroy();
    }
  }
}
