import { bindKernel, DeviceBuild, checkGrids, COPY_DST, madeInErrorScopes, OwnedBuffers, recordPass, UNIFORM, type Recorded } from './gpu-objects';
import { pipelineFor } from './gpu-plan';
import { guardKernel, momentsKernel, moveKernel, tailBuffer } from './wgsl/stream-tail';
import type { Kernel, Resource } from './wgsl/kernel';

export type TapsKind = 'separable' | 'square';

/** Where a frame's tail reads from and writes to: tfjs tensors' buffers. */
export interface TailIo {
  frame: GPUBuffer;
  /**
   * The move's taps (image/frame-mover.ts): separable, column index and weight [W,4], row index and weight [H,4];
   * square (a turned frame), index and weight [H·W,16]; null: the frame does not move.
   */
  taps: { kind: TapsKind; buffers: GPUBuffer[] } | null;
  /** The guard's reference, [3] each; null: no guard. */
  reference: { mean: GPUBuffer; std: GPUBuffer } | null;
  out: GPUBuffer;
}

/**
 * A stream frame's tail at one size, its pipelines, buffers and bind groups made once (./wgsl/stream-tail.ts): the
 * feedback transform, the moments and the colour guard recorded into the caller's encoder with no creation, where
 * as tfjs kernels each made a bind group a frame. The session that owns it destroys it.
 */
export class StreamTail extends DeviceBuild {
  private guard = { strength: NaN, reach: NaN };
  /** The encoder the tail last recorded into: its commands read the guard's scalars and the tail's buffers. */
  lastEncoder: GPUCommandEncoder | null = null;

  /** A turned frame's move is bound to the taps' own buffers: again only when they change (a new motion). */
  private bound: { buffers: GPUBuffer[]; move: Recorded } | null = null;

  private constructor(
    readonly device: GPUDevice,
    readonly size: [number, number],
    readonly kind: TapsKind,
    private readonly move: { kernel: Kernel; pipeline: GPUComputePipeline; resolve: (r: Resource) => GPUBuffer },
    private readonly statistics: Recorded[],
    buffers: Map<string, GPUBuffer>,
    owned: OwnedBuffers,
  ) {
    super(buffers, owned);
    if (kind === 'separable') this.bound = { buffers: [], move: bindKernel(device, move.kernel, move.pipeline, move.resolve) };
  }

  static async build(device: GPUDevice, h: number, w: number, kind: TapsKind): Promise<StreamTail> {
    const kernels = [moveKernel(h, w, kind), momentsKernel(h, w), guardKernel(h, w)];
    checkGrids(device, kernels);
    const pipes = await Promise.all(kernels.map((k) => pipelineFor(device, k)));
    const owned = new OwnedBuffers(device);
    const buffers = new Map<string, GPUBuffer>();
    return madeInErrorScopes(device, 'the stream tail', owned, () => {
      const make = (r: { name: string }, floats: number, usage?: number) => buffers.set(r.name, owned.make(floats, r.name, usage));
      for (const r of [tailBuffer.frame, tailBuffer.moved, tailBuffer.guarded]) make(r, h * w * 3);
      if (kind === 'separable') {
        make(tailBuffer.colIndex, w * 4);
        make(tailBuffer.colWeight, w * 4);
        make(tailBuffer.rowIndex, h * 4);
        make(tailBuffer.rowWeight, h * 4);
      }
      make(tailBuffer.moments, 6);
      make(tailBuffer.refMean, 3);
      make(tailBuffer.refStd, 3);
      make(tailBuffer.guard, 4, UNIFORM | COPY_DST);
      const resolve = (r: Resource): GPUBuffer => {
        const b = r.type === 'own' ? buffers.get(r.name) : undefined;
        if (!b) throw new Error(`stream tail: no buffer for ${JSON.stringify(r)}`);
        return b;
      };
      const statistics = kernels.slice(1).map((k, i) => bindKernel(device, k, pipes[i + 1]!, resolve));
      return new StreamTail(device, [h, w], kind, { kernel: kernels[0]!, pipeline: pipes[0]!, resolve }, statistics, buffers, owned);
    });
  }

  /**
   * The guard's scalars, written when they change (a write reaches the queue ahead of commands not yet submitted:
   * `flush` first submits those that would read them).
   */
  setGuard(strength: number, reach: number, flush: (encoder: GPUCommandEncoder | null) => void): void {
    if (strength === this.guard.strength && reach === this.guard.reach) return;
    flush(this.lastEncoder);
    this.guard = { strength, reach };
    this.device.queue.writeBuffer(this.buffer(tailBuffer.guard), 0, new Float32Array([strength, reach, 0, 0]));
  }

  /** Records one frame's tail: copies in, the move, the moments and the guard where asked, the result copied out. */
  encode(encoder: GPUCommandEncoder, io: TailIo): void {
    if (this.destroyed) throw new Error('stream tail used after destroy()');
    this.lastEncoder = encoder;
    const [h, w] = this.size;
    const bytes = h * w * 3 * 4;
    const moved = this.buffer(tailBuffer.moved);
    const list: Recorded[] = [];
    if (io.taps) {
      encoder.copyBufferToBuffer(io.frame, 0, this.buffer(tailBuffer.frame), 0, bytes);
      list.push(this.moveWith(encoder, io.taps.buffers));
    } else encoder.copyBufferToBuffer(io.frame, 0, moved, 0, bytes);
    if (io.reference) {
      encoder.copyBufferToBuffer(io.reference.mean, 0, this.buffer(tailBuffer.refMean), 0, 12);
      encoder.copyBufferToBuffer(io.reference.std, 0, this.buffer(tailBuffer.refStd), 0, 12);
      list.push(...this.statistics);
    }
    if (list.length) recordPass(encoder, list);
    encoder.copyBufferToBuffer(io.reference ? this.buffer(tailBuffer.guarded) : moved, 0, io.out, 0, bytes);
  }

  /**
   * The move's dispatch with `taps` in place: the separable taps copied into the tail's buffers (a few hundred bytes);
   * a turned frame's bound as they are, its bind group made again only when they are other buffers.
   */
  private moveWith(encoder: GPUCommandEncoder, taps: GPUBuffer[]): Recorded {
    if (this.kind === 'separable') {
      const [h, w] = this.size;
      const into = [tailBuffer.colIndex, tailBuffer.colWeight, tailBuffer.rowIndex, tailBuffer.rowWeight];
      taps.forEach((t, i) => encoder.copyBufferToBuffer(t, 0, this.buffer(into[i]!), 0, (i < 2 ? w : h) * 16));
      return this.bound!.move;
    }
    if (!this.bound || this.bound.buffers.some((b, i) => b !== taps[i])) {
      const names: Record<string, GPUBuffer> = { [tailBuffer.squareIndex.name]: taps[0]!, [tailBuffer.squareWeight.name]: taps[1]! };
      const resolve = (r: Resource) => (r.type === 'own' && names[r.name]) || this.move.resolve(r);
      this.bound = { buffers: [...taps], move: bindKernel(this.device, this.move.kernel, this.move.pipeline, resolve) };
    }
    return this.bound.move;
  }
}
