import * as tf from '@tensorflow/tfjs';
import {
  ALL_FORMATS,
  BlobSource,
  BufferTarget,
  CanvasSink,
  CanvasSource,
  EncodedAudioPacketSource,
  EncodedPacketSink,
  getFirstEncodableVideoCodec,
  Input,
  Mp4OutputFormat,
  Output,
  QUALITY_HIGH,
  WebMOutputFormat,
  type InputAudioTrack,
} from 'mediabunny';
import { pixelsToModel } from '../engine/image/convert';
import type { ModelRunner } from '../engine/model/runner';
import type { DreamParams } from '../engine/params/dream';
import { workingSize } from '../engine/render/frames';
import type { DreamRegions } from '../engine/mask/regions';
import { VideoDreamer } from '../engine/video/video-dreamer';
import { toImageData } from './painter';
import type { VideoJob } from './protocol';

/** A video the browser cannot read or decode: its message is shown to the user as it is. */
export class VideoInputError extends Error {
  override name = 'VideoInputError';
}

export interface VideoProgress {
  frame: number;
  frames: number;
  /** Seconds left at the pace so far. */
  etaS: number;
}

/** The file's own container when it can be written again (MP4 stays MP4, WebM stays WebM), else WebM. */
function outputFormat(name: string, mime: string): 'mp4' | 'webm' {
  return /\.(mp4|m4v|mov)$/i.test(name) || /mp4|quicktime/.test(mime) ? 'mp4' : 'webm';
}

/**
 * Dreams a video file frame by frame in the worker: demuxed and decoded with WebCodecs through mediabunny, each
 * frame dreamed with the flow carry-over (VideoDreamer), encoded with WebCodecs into the same kind of container,
 * its audio packets copied across where the container takes their codec. Throws VideoInputError for a file the
 * browser cannot read or decode.
 */
export async function dreamVideo(
  runner: ModelRunner,
  file: Blob,
  name: string,
  dream: DreamParams,
  job: VideoJob,
  onProgress: (p: VideoProgress) => void,
  cancelled: () => boolean,
  /** The live mask's regions (borrowed): the video dreams where the stream does. */
  regions?: DreamRegions,
): Promise<{ video: ArrayBuffer; mime: string; name: string; frames: number }> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    if (!(await input.canRead().catch(() => false))) throw new VideoInputError(`${name}: not a video this browser can read`);
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new VideoInputError(`${name}: has no video track`);
    if (!(await track.canDecode())) throw new VideoInputError(`${name}: this browser cannot decode its video (${(await track.getCodec()) ?? 'unknown codec'})`);
    const stats = await track.computePacketStats();
    const frames = stats.packetCount;
    if (frames === 0) throw new VideoInputError(`${name}: has no video frames`);
    const fps = stats.averagePacketRate > 0 ? stats.averagePacketRate : 30;
    const [height, width] = workingSize(await track.getDisplayHeight(), await track.getDisplayWidth(), job.size);
    // The file's own kind of container, or WebM where this browser has no encoder for an MP4 codec.
    let kind = outputFormat(name, file.type);
    let format = kind === 'mp4' ? new Mp4OutputFormat() : new WebMOutputFormat();
    let codec = await getFirstEncodableVideoCodec(format.getSupportedVideoCodecs(), { width, height });
    if (!codec && kind === 'mp4') {
      kind = 'webm';
      format = new WebMOutputFormat();
      codec = await getFirstEncodableVideoCodec(format.getSupportedVideoCodecs(), { width, height });
    }
    if (!codec) throw new Error(`this browser cannot encode ${kind} video (no WebCodecs encoder)`);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable for the video');
    const output = new Output({ format, target: new BufferTarget() });
    const source = new CanvasSource(canvas, { codec, bitrate: QUALITY_HIGH });
    output.addVideoTrack(source, { frameRate: fps });
    const audio = await copyableAudio(input, format.getSupportedAudioCodecs());
    const audioSource = audio && new EncodedAudioPacketSource(audio.codec);
    if (audioSource) output.addAudioTrack(audioSource);
    await output.start();
    const dreamer = new VideoDreamer(runner, dream, [height, width], { flow: job.flow, stepsPerFrame: job.stepsPerFrame }, undefined, regions);
    const sink = new CanvasSink(track, { width, height, fit: 'cover', poolSize: 2 });
    const begun = performance.now();
    let done = 0;
    try {
      if (audio && audioSource) {
        let first = true;
        for await (const packet of new EncodedPacketSink(audio.track).packets()) {
          await audioSource.add(packet, first ? { decoderConfig: audio.config } : undefined);
          first = false;
        }
        audioSource.close();
      }
      const start = await track.getFirstTimestamp();
      for await (const wrapped of sink.canvases()) {
        if (cancelled()) throw new Error('video cancelled');
        const frame = canvasToModel(wrapped.canvas as OffscreenCanvas, width, height);
        const dreamed = dreamer.frame(frame);
        frame.dispose();
        try {
          ctx.putImageData(await toImageData(dreamed), 0, 0);
        } finally {
          dreamed.dispose();
        }
        await source.add(Math.max(0, wrapped.timestamp - start), wrapped.duration > 0 ? wrapped.duration : 1 / fps);
        done += 1;
        const elapsed = (performance.now() - begun) / 1000;
        onProgress({ frame: done, frames: Math.max(frames, done), etaS: (elapsed / done) * Math.max(0, frames - done) });
        // Lets a cancel message in between frames.
        await new Promise((r) => setTimeout(r, 0));
      }
      await output.finalize();
    } catch (e) {
      await output.cancel();
      if (e instanceof Error && /decod/i.test(e.message) && done === 0) throw new VideoInputError(`${name}: this browser cannot decode it (${e.message})`);
      throw e;
    } finally {
      dreamer.dispose();
    }
    const video = (output.target as BufferTarget).buffer;
    if (!video) throw new Error('the encoder produced no data');
    const base = name.replace(/\.[^.]+$/, '') || 'video';
    return { video, mime: format.mimeType, name: `${base}-dreamed.${kind}`, frames: done };
  } finally {
    input.dispose();
  }
}

/** The first audio track, if the output container takes its codec as it is (copied, not re-encoded). */
async function copyableAudio(input: Input, supported: string[]): Promise<{ track: InputAudioTrack; codec: NonNullable<Awaited<ReturnType<InputAudioTrack['getCodec']>>>; config: AudioDecoderConfig } | null> {
  const track = await input.getPrimaryAudioTrack();
  const codec = track && (await track.getCodec());
  const config = track && (await track.getDecoderConfig());
  if (!track || !codec || !config || !supported.includes(codec)) return null;
  return { track, codec, config };
}

/** A decoded frame (drawn on a canvas) as the model's [1,H,W,3]. */
function canvasToModel(canvas: OffscreenCanvas, width: number, height: number): tf.Tensor4D {
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('2D canvas unavailable for the video');
  const data = Int32Array.from(ctx.getImageData(0, 0, width, height).data);
  return tf.tidy(() => pixelsToModel(tf.tensor3d(data, [height, width, 4], 'int32').slice([0, 0, 0], [-1, -1, 3]) as tf.Tensor3D));
}
