import { bindKernel, DeviceBuild, checkGrids, madeInErrorScopes, OwnedBuffers, recordPass, type Recorded } from './gpu-objects';
import { pipelineFor, type GpuPlan } from './gpu-plan';
import type { StyleTerms, TermTargets } from './style-terms';
import { adamUpdate, basisBuffer, downLevel, levelLayout, pictureAdjoint, reflectView, toPixels, upLevel, type BasisShape } from './wgsl/basis';
import type { Kernel, Resource } from './wgsl/kernel';

/**
 * The basis's kernels for these sizes, in the order they run: the decode (each level up, then the pixels), the
 * view, and after the network's backward pass the picture's gradient, each level's, Adam. Pure: the dispatch budget
 * is checked from it without a device.
 */
export function basisKernels(shape: BasisShape): { decode: Kernel[]; view: Kernel[]; adjoint: Kernel[] } {
  const last = shape.levels.length - 1;
  const decode: Kernel[] = [];
  for (let k = last - 1; k >= 0; k--) decode.push(upLevel(shape, k));
  decode.push(toPixels(shape));
  const adjoint = [pictureAdjoint(shape)];
  for (let k = 0; k < last; k++) adjoint.push(downLevel(shape, k));
  adjoint.push(adamUpdate(shape));
  return { decode, view: [reflectView(shape)], adjoint };
}

/** Dispatches of an iteration's basis kernels (the decode runs twice: before the step and after it). */
export const basisDispatches = (k: ReturnType<typeof basisKernels>): number => 2 * k.decode.length + k.view.length + k.adjoint.length;

/** Where an iteration's state comes from and goes: tfjs tensors' buffers, one per level (moments: [2, n], m then v). */
export interface IterationBuffers {
  coefficients: GPUBuffer[];
  /** null: Adam's first step (zero moments). */
  moments: Array<GPUBuffer | null>;
}

/** What an iteration writes: the next state, the decoded picture (clipped) and the figures [L, content, style, tv]. */
export interface IterationOutputs extends IterationBuffers {
  moments: GPUBuffer[];
  image: GPUBuffer;
  losses: GPUBuffer;
}

/**
 * The rest of a style iteration built onto a network plan and its loss (./wgsl/basis.ts): the decode, the view,
 * their adjoints and Adam, so that the whole iteration is recorded with no tfjs kernel and nothing made. Its
 * buffers hold the state during the iteration only: it is copied in from the session's tensors and out to new
 * ones, so the session switches between this and tfjs ops at any iteration. The plan owns it.
 */
export class StyleBasis extends DeviceBuild {
  private constructor(
    private readonly decode: Recorded[],
    private readonly view: Recorded[],
    private readonly adjoint: Recorded[],
    buffers: Map<string, GPUBuffer>,
    owned: OwnedBuffers,
    shape: BasisShape,
  ) {
    super(buffers, owned);
    this.layout = levelLayout(shape.levels);
  }

  /** Where each level lies in the shared buffers. */
  private readonly layout: ReturnType<typeof levelLayout>;

  static async build(device: GPUDevice, plan: GpuPlan, shape: BasisShape): Promise<StyleBasis> {
    const { decode, view, adjoint } = basisKernels(shape);
    checkGrids(device, [...decode, ...view, ...adjoint]);
    const compile = (list: Kernel[]) => Promise.all(list.map((k) => pipelineFor(device, k)));
    const [decodePipes, viewPipes, adjointPipes] = await Promise.all([compile(decode), compile(view), compile(adjoint)]);
    const owned = new OwnedBuffers(device);
    const buffers = new Map<string, GPUBuffer>();
    const { total } = levelLayout(shape.levels);
    const [h, w] = shape.levels[0]!;
    const [vh, vw] = shape.view;
    const made = await madeInErrorScopes(device, 'the style basis', owned, () => {
      const make = (r: { name: string }, floats: number) => buffers.set(r.name, owned.make(floats, r.name));
      make(basisBuffer.coefficients, total);
      make(basisBuffer.gradients, total);
      make(basisBuffer.moments, 2 * total);
      make(basisBuffer.sums, total);
      make(basisBuffer.raw, h * w * 3);
      make(basisBuffer.pixels, h * w * 3);
      make(basisBuffer.view, vh * vw * 3);
      make(basisBuffer.viewGradient, vh * vw * 3);
      make(basisBuffer.pictureGradient, h * w * 3);
      make({ name: 'total' }, 1);
      make({ name: 'one' }, 4);
      device.queue.writeBuffer(buffers.get('one')!, 0, new Float32Array([1, 0, 0, 0]));
      const resolve = (r: Resource): GPUBuffer => {
        if (r.type === 'frame') return plan.frameUniform;
        const b = r.type === 'own' ? buffers.get(r.name) : undefined;
        if (!b) throw new Error(`style basis: no buffer for ${JSON.stringify(r)}`);
        return b;
      };
      const record = (list: Kernel[], pipes: GPUComputePipeline[]) => list.map((k, i) => bindKernel(device, k, pipes[i]!, resolve));
      return new StyleBasis(record(decode, decodePipes), record(view, viewPipes), record(adjoint, adjointPipes), buffers, owned, shape);
    });
    plan.attach(made);
    return made;
  }

  /**
   * Records one whole iteration (the frame's scalars written: the loss weights, the view's offsets and Adam's):
   * the state copied in, decoded and viewed; the network and the loss forward, their gradients back to the view;
   * the adjoints to the parameters, Adam, the new parameters decoded; the new state, picture and figures copied out.
   */
  encode(encoder: GPUCommandEncoder, plan: GpuPlan, terms: StyleTerms, targets: TermTargets, from: IterationBuffers, to: IterationOutputs): void {
    if (this.destroyed) throw new Error('style basis used after its plan was destroyed');
    const { floats, offsets, total } = this.layout;
    const [coefficients, moments] = [this.buffer(basisBuffer.coefficients), this.buffer(basisBuffer.moments)];
    floats.forEach((n, k) => {
      encoder.copyBufferToBuffer(from.coefficients[k]!, 0, coefficients, offsets[k]! * 4, n * 4);
      const m = from.moments[k];
      if (!m) {
        encoder.clearBuffer(moments, offsets[k]! * 4, n * 4);
        encoder.clearBuffer(moments, (total + offsets[k]!) * 4, n * 4);
        return;
      }
      encoder.copyBufferToBuffer(m, 0, moments, offsets[k]! * 4, n * 4);
      encoder.copyBufferToBuffer(m, n * 4, moments, (total + offsets[k]!) * 4, n * 4);
    });
    recordPass(encoder, [...this.decode, ...this.view]);
    plan.encodeForward(encoder, this.buffer(basisBuffer.view), []);
    const pixels = this.buffer(basisBuffer.pixels);
    terms.encodeForward(encoder, targets, pixels, { total: this.buffer({ name: 'total' }), parts: to.losses });
    // d total = 1 (what tfjs's gradient starts from); the figures are not differentiated.
    terms.encodeLossGradients(encoder, this.buffer({ name: 'one' }), null);
    plan.encodeBackward(encoder, (e) => terms.encodeSeeds(e), this.buffer(basisBuffer.viewGradient));
    terms.encodeTvGradient(encoder, this.buffer(basisBuffer.pictureGradient));
    recordPass(encoder, [...this.adjoint, ...this.decode]);
    floats.forEach((n, k) => {
      encoder.copyBufferToBuffer(coefficients, offsets[k]! * 4, to.coefficients[k]!, 0, n * 4);
      encoder.copyBufferToBuffer(moments, offsets[k]! * 4, to.moments[k]!, 0, n * 4);
      encoder.copyBufferToBuffer(moments, (total + offsets[k]!) * 4, to.moments[k]!, n * 4, n * 4);
    });
    encoder.copyBufferToBuffer(pixels, 0, to.image, 0, floats[0]! * 4);
  }

}
