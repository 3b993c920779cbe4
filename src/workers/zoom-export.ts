import type * as tf from '@tensorflow/tfjs';
import { BufferTarget, CanvasSource, getFirstEncodableVideoCodec, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } from 'mediabunny';
import { cover } from '../engine/image/geometry';
import type { DreamRegions } from '../engine/mask/regions';
import type { ModelRunner } from '../engine/model/runner';
import type { DreamParams } from '../engine/params/dream';
import type { StreamParams } from '../engine/params/stream';
import { renderFrames, workingSize } from '../engine/render/frames';
import { StreamSession } from '../engine/sessions/stream-session';
import { Tiler } from '../engine/tiles/tiler';
import { deviceTileSide } from '../engine/tiles/tile-size';
import { toImageData } from './painter';
import type { ExportJob } from './protocol';

/**
 * Renders a seeded zoom stream from `start` at the job's size (the same frames for the same settings), handing
 * each picture to `onFrame` (borrowed: disposed once it resolves). The tensor half of the export: no encoder.
 */
export async function renderZoom(
  runner: ModelRunner,
  start: tf.Tensor4D,
  dream: DreamParams,
  stream: StreamParams,
  job: Pick<ExportJob, 'frames' | 'size' | 'stepsPerFrame'>,
  onFrame: (frame: number, image: tf.Tensor4D) => Promise<void> | void,
  cancelled: () => boolean = () => false,
  /** The live mask's regions (borrowed), so the video dreams where the stream does. */
  regions?: DreamRegions,
  /** The WebGPU adapter's storage-buffer binding limit, which sizes the tiles (elsewhere: the backend's budget). */
  bufferBytes?: number,
): Promise<void> {
  const [height, width] = workingSize(start.shape[1], start.shape[2], job.size);
  const initial = cover(start, height, width);
  // Frames larger than the device takes (4K) are dreamed tile by tile, as Render large's stills are.
  const tiler = new Tiler(runner, { tile: deviceTileSide(runner, dream.layers.map((l) => l.name), bufferBytes) });
  const session = new StreamSession(runner, initial, dream, stream, { tiler });
  session.setRegions(regions);
  initial.dispose();
  try {
    await renderFrames(session, job, (f, image) => onFrame(f, image), cancelled);
  } finally {
    session.dispose();
    tiler.dispose();
  }
}

/**
 * Renders a zoom stream frame by frame and encodes it with WebCodecs through mediabunny. The frame rate of the
 * video has nothing to do with how fast this machine renders.
 */
export async function exportZoom(
  runner: ModelRunner,
  start: tf.Tensor4D,
  dream: DreamParams,
  stream: StreamParams,
  job: ExportJob,
  onFrame: (frame: number) => void,
  cancelled: () => boolean,
  regions?: DreamRegions,
  bufferBytes?: number,
): Promise<{ video: ArrayBuffer; mime: string; name: string }> {
  const [height, width] = workingSize(start.shape[1], start.shape[2], job.size);
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
  try {
    await renderZoom(runner, start, dream, stream, job, async (f, image) => {
      ctx.putImageData(await toImageData(image), 0, 0);
      await source.add(f / job.fps, 1 / job.fps);
      onFrame(f + 1);
    }, cancelled, regions, bufferBytes);
    await output.finalize();
  } catch (e) {
    await output.cancel();
    throw e;
  }
  const video = (output.target as BufferTarget).buffer;
  if (!video) throw new Error('the encoder produced no data');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { video, mime: format.mimeType, name: `dreamstream-zoom-${stamp}.${job.format}` };
}
