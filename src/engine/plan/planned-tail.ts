import type * as tf from '@tensorflow/tfjs';
import { GUARD_REACH } from '../image/colour';
import type { ModelRunner } from '../model/runner';
import { trackBuild } from './extension-cache';
import { plannerFor } from './planner';
import { StreamTail, type TapsKind } from './stream-tail';
import { bufferOf, emptyTensor, openEncoder, submitIfPending, type WebGpuBackendLike } from './tfjs-webgpu';

/** What a frame's tail does: the taps of its motion (null: it does not move), and the guard's pull. */
export interface TailFrame {
  taps: { kind: TapsKind; tensors: tf.Tensor[] } | null;
  /** The guard's reference moments ([1,1,1,3] each) and strength; null: no guard. */
  guard: { mean: tf.Tensor4D; std: tf.Tensor4D; strength: number } | null;
}

/**
 * A stream session's frame tail recorded on WebGPU (./stream-tail.ts): built for the frame's size on the first
 * frame that asks (tfjs kernels run the frames until it is there), built again for a new size or device, destroyed
 * with the session.
 */
export class PlannedTail {
  private tail: StreamTail | null = null;
  private backend: WebGpuBackendLike | null = null;
  private building = false;
  /** Sizes whose tail the device refused. */
  private readonly refused = new Set<string>();
  private disposed = false;

  /** `x` moved and guarded as `frame` says, recorded without a creation; null: run tfjs's kernels this frame. */
  advance(runner: ModelRunner, x: tf.Tensor4D, frame: () => TailFrame | undefined): tf.Tensor4D | null {
    const planner = plannerFor(runner);
    if (!planner) return null;
    const b = planner.backend;
    const [, h, w] = x.shape;
    const f = frame();
    if (!f || (!f.taps && !f.guard)) return null;
    const kind = f.taps?.kind ?? this.tail?.kind ?? 'separable';
    if (this.tail && (this.tail.device !== b.device || this.tail.size[0] !== h || this.tail.size[1] !== w || this.tail.kind !== kind)) this.release();
    if (!this.tail) {
      this.start(b, h, w, kind);
      return null;
    }
    const out = emptyTensor<tf.Rank.R4>(b, x.shape);
    const io = {
      frame: bufferOf(b, x),
      taps: f.taps ? { kind: f.taps.kind, buffers: f.taps.tensors.map((t) => bufferOf(b, t)) } : null,
      reference: f.guard ? { mean: bufferOf(b, f.guard.mean), std: bufferOf(b, f.guard.std) } : null,
      out: bufferOf(b, out),
    };
    if (f.guard) this.tail.setGuard(f.guard.strength, GUARD_REACH, (e) => submitIfPending(b, e));
    this.tail.encode(openEncoder(b), io);
    return out;
  }

  private start(b: WebGpuBackendLike, h: number, w: number, kind: TapsKind): void {
    const key = `${h}x${w} ${kind}`;
    if (this.building || this.refused.has(key)) return;
    this.building = true;
    const built = StreamTail.build(b.device, h, w, kind).then(
      (t) => {
        if (this.disposed) t.destroy();
        else [this.tail, this.backend] = [t, b];
      },
      (err: unknown) => {
        this.refused.add(key);
        console.warn(`dreamstream: the stream tail at ${key} stays on tfjs kernels: ${(err as Error).message}`);
      },
    );
    trackBuild(built.finally(() => (this.building = false)));
  }

  /** Frees the tail once the commands that read it are submitted. */
  private release(): void {
    if (this.tail && this.backend) submitIfPending(this.backend, this.tail.lastEncoder);
    this.tail?.destroy();
    [this.tail, this.backend] = [null, null];
  }

  dispose(): void {
    this.disposed = true;
    this.release();
  }
}
