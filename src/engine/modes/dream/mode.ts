import type * as tf from '@tensorflow/tfjs';
import type { Mask } from '../../mask/mask';
import type { Settings } from '../../params/settings';
import type { StreamParams } from '../../params/stream';
import type { StreamSession } from '../../sessions/stream-session';
import { KEPT, type Change, type ModeContext } from '../mode';
import { StreamMode, streamSession } from '../stream-mode';
import { WebcamMode } from '../webcam/mode';

/** The zoom stream: dream steps on the picture, then the settings' zoom, rotation and drift, fed back forever. */
export class DreamMode extends StreamMode {
  readonly name = 'dream' as const;

  static create(ctx: ModeContext, settings: Settings, size: [number, number], start?: tf.Tensor4D): DreamMode {
    return new DreamMode(streamSession(ctx, settings, settings.stream, size, start), settings, ctx.mask ?? null);
  }

  private constructor(session: StreamSession, settings: Settings, mask: Mask | null) {
    super(session, settings, mask);
  }

  get stream(): StreamParams {
    return this.settings.stream;
  }

  apply(settings: Settings): Change {
    if (settings.mode === 'dream') {
      this.settings = settings;
      this.session.setParams(settings.dream, settings.stream);
      return KEPT;
    }
    // The camera takes over the running stream: the picture carries on and the camera pulls it (no fade, no restart).
    if (settings.mode === 'webcam') return { kind: 'handover', next: new WebcamMode(this.handOver(), settings, this.mask) };
    // Style transfer starts from the dreamed picture.
    return { kind: 'rebuild', from: 'image', fade: true };
  }
}
