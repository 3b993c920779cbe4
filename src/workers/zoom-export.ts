import * as tf from '@tensorflow/tfjs';
import { BufferTarget, CanvasSource, getFirstEncodableVideoCodec, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } from 'mediabunny';
import { cover } from '../engine/image/geometry';
import type { ModelRunner } from '../engine/model/runner';
import type { DreamParams } from '../engine/params/dream';
import type { StreamParams } from '../engine/params/stream';
import { StreamSession } from '../engine/sessions/stream-session';
import { toImageData } from './painter';

export interface ZoomExportJob {
  frames: number;
  fps: number;
  size: number;
  stepsPerFrame: number;
  format: 'webm' | 'mp4';
}

/** Even [h, w] with the long side `size` and the picture's aspect, the short side at least the model's minimum. */
export function frameSize(h: number, w: number, size: number): [number, number] {
  const even = (n: number) => Math.max(MIN_SIDE, Math.round(n / 2) * 2);
  return h >= w ? [even(size), even((size * w) / h)] : [even((size * h) / w), even(size)];
}

const MIN_SIDE = 80;

/**
 * Renders a zoom stream frame by frame (seeded, so the same settings give the same video) and encodes it with
 * WebCodecs through mediabunny. The frame rate of the video has nothing to do with how fast this machine renders.
 */
export async function exportZoom(
  runner: ModelRunner,
  start: tf.Tensor4D,
  dream: DreamParams,
  stream: StreamParams,
  job: ZoomExportJob,
  onFrame: (frame: number) => void,
  cancelled: () => boolean,
): Promise<{ video: ArrayBuffer; mime: string; name: string }> {
  const [height, width] = frameSize(start.shape[1], start.shape[2], job.size);
  const format = job.format === 'mp4' ? new Mp4OutputFormat() : new WebMOutputFormat();
  const codec = await getFirstEncodableVideoCodec(format.getSupportedVideoCodecs(), { width, height });
  if (!codec) throw new Error(`this browser cannot encode ${job.format} video (no WebCodecs encoder)`);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable for the export');
  const output = new Output({ format, target: new BufferTarget() });
  const source = new CanvasSource(canvas, { codec, bitrate: QUALITY_HIGH });
  output.addVideoTrack(source, { frameRate: job.fps });
  await output.start();
  const initial = cover(start, height, width);
  const session = new StreamSession(runner, initial, dream, stream);
  initial.dispose();
  try {
    for (let f = 0; f < job.frames; f++) {
      if (cancelled()) throw new Error('export cancelled');
      for (let s = 0; s < job.stepsPerFrame; s++) session.step().dispose();
      ctx.putImageData(await toImageData(session.image), 0, 0);
      await source.add(f / job.fps, 1 / job.fps);
      session.advance();
      onFrame(f + 1);
    }
    await output.finalize();
  } catch (e) {
    await output.cancel();
    throw e;
  } finally {
    session.dispose();
  }
  const video = (output.target as BufferTarget).buffer;
  if (!video) throw new Error('the encoder produced no data');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { video, mime: format.mimeType, name: `dreamstream-zoom-${stamp}.${job.format}` };
}
