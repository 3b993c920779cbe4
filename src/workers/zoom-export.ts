import type * as tf from '@tensorflow/tfjs';
import type { AudioDrive } from '../engine/audio/mapping';
import { frameParams } from '../engine/audio/soundtrack';
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
import { addSoundtrack } from './zoom-audio';

/**
 * Renders a seeded zoom stream from `start` at the job's size (the same frames for the same settings), handing
 * each picture to `onFrame` (borrowed: disposed once it resolves). The tensor half of the export: no encoder.
 * With a soundtrack's `drive`, frame f is made with frame f's settings (engine/audio/soundtrack.ts).
 */
export async function renderZoom(
  runner: ModelRunner,
  start: tf.Tensor4D,
  dream: DreamParams,
  stream: StreamParams,
  job: { frames: number; size: number; stepsPerFrame: number },
  onFrame: (frame: number, image: tf.Tensor4D) => Promise<void> | void,
  cancelled: () => boolean = () => false,
  /** The live mask's regions (borrowed), so the video dreams where the stream does. */
  regions?: DreamRegions,
  /** The WebGPU adapter's storage-buffer binding limit, which sizes the tiles (elsewhere: the backend's budget). */
  bufferBytes?: number,
  drive?: AudioDrive,
): Promise<void> {
  const [height, width] = workingSize(start.shape[1], start.shape[2], job.size);
  const initial = cover(start, height, width);
  const base = { dream, stream };
  const first = frameParams(base, drive, 0);
  // Frames larger than the device takes (4K) are dreamed tile by tile, as Render large's stills are.
  const tiler = new Tiler(runner, { tile: deviceTileSide(runner, dream.layers.map((l) => l.name), bufferBytes) });
  const session = new StreamSession(runner, initial, first.dream, first.stream, { tiler });
  session.setRegions(regions);
  initial.dispose();
  try {
    await renderFrames(session, job, async (f, image) => {
      await onFrame(f, image);
      if (!drive) return;
      const next = frameParams(base, drive, f + 1);
      session.setParams(next.dream, next.stream);
    }, cancelled);
  } finally {
    session.dispose();
    tiler.dispose();
  }
}

/**
 * Renders a zoom stream frame by frame and encodes it with WebCodecs through mediabunny. The frame rate of the
 * video has nothing to do with how fast this machine renders. With a soundtrack, its PCM goes into the file beside
 * the frames, cut at the last one, and `drive` moves each frame's settings; `note` says when the browser could not
 * encode the sound (the video is made without it).
 */
export async function exportZoom(
  runner: ModelRunner,
  start: tf.Tensor4D,
  dream: DreamParams,
  stream: StreamParams,
  job: ExportJob & { frames: number },
  onFrame: (frame: number) => void,
  cancelled: () => boolean,
  regions?: DreamRegions,
  bufferBytes?: number,
  drive?: AudioDrive,
): Promise<{ video: ArrayBuffer; mime: string; name: string; note?: string }> {
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
  const audio = job.soundtrack ? await addSoundtrack(output, format, job.soundtrack, job.fps) : null;
  await output.start();
  try {
    await renderZoom(runner, start, dream, stream, job, async (f, image) => {
      ctx.putImageData(await toImageData(image), 0, 0);
      await source.add(f / job.fps, 1 / job.fps);
      if (audio && 'add' in audio) await audio.add(f);
      onFrame(f + 1);
    }, cancelled, regions, bufferBytes, drive);
    await output.finalize();
  } catch (e) {
    await output.cancel();
    throw e;
  }
  const video = (output.target as BufferTarget).buffer;
  if (!video) throw new Error('the encoder produced no data');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const note = audio && 'note' in audio ? { note: audio.note } : {};
  return { video, mime: format.mimeType, name: `dreamstream-zoom-${stamp}.${job.format}`, ...note };
}
