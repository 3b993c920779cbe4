import { bindKernel, DeviceBuild, checkGrids, COPY_DST, madeInErrorScopes, OwnedBuffers, recordPass, UNIFORM, type Recorded } from './gpu-objects';
import { pipelineFor } from './gpu-plan';
import { guardKernel, momentsKernel, moveKernel, tailBuffer } from './wgsl/stream-tail';
import type { Resource } from './wgsl/kernel';

/** Where a frame's tail reads from and writes to: tfjs tensors' buffers. */
export interface TailIo {
  frame: GPUBuffer;
  /** The separable taps: column index and weight [W,4], row index and weight [H,4]; null: the frame does not move. */
  taps: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer] | null;
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

  private constructor(
    readonly device: GPUDevice,
    readonly size: [number, number],
    private readonly move: Recorded,
    private readonly statistics: Recorded[],
    buffers: Map<string, GPUBuffer>,
    owned: OwnedBuffers,
  ) {
    super(buffers, owned);
  }

  static async build(device: GPUDevice, h: number, w: number): Promise<StreamTail> {
    const kernels = [moveKernel(h, w), momentsKernel(h, w), guardKernel(h, w)];
    checkGrids(device, kernels);
    const pipes = await Promise.all(kernels.map((k) => pipelineFor(device, k)));
    const owned = new OwnedBuffers(device);
    const buffers = new Map<string, GPUBuffer>();
    return madeInErrorScopes(device, 'the stream tail', owned, () => {
      const make = (r: { name: string }, floats: number, usage?: number) => buffers.set(r.name, owned.make(floats, r.name, usage));
      for (const r of [tailBuffer.frame, tailBuffer.moved, tailBuffer.guarded]) make(r, h * w * 3);
      make(tailBuffer.colIndex, w * 4);
      make(tailBuffer.colWeight, w * 4);
      make(tailBuffer.rowIndex, h * 4);
      make(tailBuffer.rowWeight, h * 4);
      make(tailBuffer.moments, 6);
      make(tailBuffer.refMean, 3);
      make(tailBuffer.refStd, 3);
      make(tailBuffer.guard, 4, UNIFORM | COPY_DST);
      const resolve = (r: Resource): GPUBuffer => {
        const b = r.type === 'own' ? buffers.get(r.name) : undefined;
        if (!b) throw new Error(`stream tail: no buffer for ${JSON.stringify(r)}`);
        return b;
      };
      const [move, ...statistics] = kernels.map((k, i) => bindKernel(device, k, pipes[i]!, resolve));
      return new StreamTail(device, [h, w], move!, statistics, buffers, owned);
    });
  }

  /**
   * The guard's scalars, written when they change (a write reaches the queue ahead of commands not yet submitted:
   * `flush` first submits those that would read them).
   */
  setGuard(strength: number, reach: number, flush: (encoder: GPUCommandEncoder) => void): void {
    if (strength === this.guard.strength && reach === this.guard.reach) return;
    if (this.lastEncoder) flush(this.lastEncoder);
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
      const into = [tailBuffer.colIndex, tailBuffer.colWeight, tailBuffer.rowIndex, tailBuffer.rowWeight];
      io.taps.forEach((t, i) => encoder.copyBufferToBuffer(t, 0, this.buffer(into[i]!), 0, (i < 2 ? w : h) * 16));
      list.push(this.move);
    } else encoder.copyBufferToBuffer(io.frame, 0, moved, 0, bytes);
    if (io.reference) {
      encoder.copyBufferToBuffer(io.reference.mean, 0, this.buffer(tailBuffer.refMean), 0, 12);
      encoder.copyBufferToBuffer(io.reference.std, 0, this.buffer(tailBuffer.refStd), 0, 12);
      list.push(...this.statistics);
    }
    if (list.length) recordPass(encoder, list);
    encoder.copyBufferToBuffer(io.reference ? this.buffer(tailBuffer.guarded) : moved, 0, io.out, 0, bytes);
  }

}
