/**
 * Video files in Node through the ffmpeg binary that ships inside the `@ffmpeg-installer/<platform>` npm package
 * (nothing is downloaded at install time): a probe, a decoder that hands over raw RGB frames one by one, and an
 * encoder that takes raw RGB frames and muxes them, with another file's audio track where there is one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export class VideoFileError extends Error {
  override name = 'VideoFileError';
}

export const FFMPEG = ffmpegInstaller.path;

/** The containers the encoder writes, by extension. */
export const VIDEO_FORMATS: Record<string, 'mp4' | 'webm' | 'mkv' | 'mov'> = { '.mp4': 'mp4', '.m4v': 'mp4', '.mov': 'mov', '.mkv': 'mkv', '.webm': 'webm' };

/** What the probe found: the first video stream's displayed size and rate, whether there is audio, the frame count. */
export interface VideoInfo {
  width: number;
  height: number;
  /** Frames per second as ffmpeg writes it for -r ("8", "30000/1001"). */
  rate: string;
  fps: number;
  audio: boolean;
  /** Frames of the first video stream, counted from its packets (no decoding). */
  frames: number;
}

/** Runs ffmpeg to the end; its exit code and stderr. */
function ffmpeg(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFMPEG, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d: string) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** The last line of ffmpeg's complaint, without its "file: " prefix: one line saying what went wrong. */
function reason(stderr: string, path: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(Input|Output) #|^Press \[q\]|^At least one output/.test(l));
  const last = lines.at(-1) ?? 'ffmpeg failed';
  return last.startsWith(`${path}: `) ? last.slice(path.length + 2) : last;
}

const RATES: Record<string, string> = { '23.98': '24000/1001', '29.97': '30000/1001', '59.94': '60000/1001', '47.95': '48000/1001' };

/** Probes a video file. Throws VideoFileError with a one-line reason for a missing, unreadable or non-video file. */
/** A file ffmpeg is to read: refused in one line when it is missing or a folder. */
function inputFile(path: string): void {
  if (!existsSync(path)) throw new VideoFileError(`${path}: no such file`);
  if (statSync(path).isDirectory()) throw new VideoFileError(`${path}: is a directory`);
}

/** ffmpeg writing raw data to its stdout: that stream, its stderr so far, and its exit code once it has closed. */
function ffmpegOutput(args: string[]): { process: ChildProcess; stdout: AsyncIterable<Buffer>; stderr: () => string; closed: Promise<number> } {
  const p = spawn(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', ...args, '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.setEncoding('utf8');
  p.stderr.on('data', (d: string) => (stderr += d));
  const closed = new Promise<number>((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) => resolve(code ?? 1));
  });
  return { process: p, stdout: p.stdout as AsyncIterable<Buffer>, stderr: () => stderr, closed };
}

export async function probeVideo(path: string): Promise<VideoInfo> {
  inputFile(path);
  const { stderr } = await ffmpeg(['-i', path, '-map', '0:v:0?', '-c', 'copy', '-f', 'null', '-']);
  const input = /^Input #0, ([^,]+(?:,[^ ]+)*), from /m.exec(stderr);
  if (!input) throw new VideoFileError(`${path}: not a video ffmpeg can read (${reason(stderr, path)})`);
  const container = input[1]!;
  const video = /Stream #0:\d+[^:]*: Video: ([^\s,]+)[^\n]*?, (\d+)x(\d+)[^\n]*/.exec(stderr);
  // Pictures and text open as one-frame "videos" (png_pipe, image2, tty): refused as not videos.
  if (/(^|,)(tty|image2|[a-z0-9]+_pipe)(,|$)/.test(container) || video?.[1] === 'ansi')
    throw new VideoFileError(`${path}: not a video (ffmpeg reads it as ${container.split(',')[0]})`);
  if (!video) throw new VideoFileError(`${path}: has no video stream`);
  let [width, height] = [Number(video[2]), Number(video[3])];
  // ffmpeg turns a rotated phone video upright while decoding: the frames come out with the sides swapped.
  const rotation = /rotation of (-?[\d.]+) degrees/.exec(stderr) ?? /^\s*rotate\s*:\s*(-?\d+)/m.exec(stderr);
  if (rotation && Math.abs(Number(rotation[1])) % 180 === 90) [width, height] = [height, width];
  const fpsText = /, ([\d.]+) fps/.exec(video[0])?.[1] ?? /, ([\d.]+k?) tbr/.exec(video[0])?.[1] ?? '25';
  const fps = Number(fpsText.replace(/k$/, '000'));
  const frames = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1])).at(-1) ?? 0;
  if (frames === 0) throw new VideoFileError(`${path}: no video frames could be read (${reason(stderr, path)})`);
  return { width, height, rate: RATES[fpsText] ?? fpsText, fps, audio: /Stream #0:\d+[^:]*: Audio: /.test(stderr), frames };
}

/** The ffmpeg filter that scales to cover width × height with the aspect kept and crops the middle. */
function coverFilter(width: number, height: number): string {
  return `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${width}:${height},setsar=1`;
}

/**
 * Decodes the first video stream to raw RGB frames of width × height (scaled to cover, centre-cropped), one
 * Uint8Array of width·height·3 bytes per frame, in order. Stopping early (break) ends the decoder.
 */
export async function* decodeFrames(path: string, width: number, height: number): AsyncGenerator<Uint8Array> {
  const out = ffmpegOutput(['-i', path, '-map', '0:v:0', '-vf', coverFilter(width, height), '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24']);
  const frameBytes = width * height * 3;
  let pending: Buffer[] = [];
  let have = 0;
  let finished = false;
  try {
    for await (const chunk of out.stdout) {
      pending.push(chunk);
      have += chunk.length;
      while (have >= frameBytes) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        yield new Uint8Array(all.buffer.slice(all.byteOffset, all.byteOffset + frameBytes));
        const rest = all.subarray(frameBytes);
        pending = rest.length ? [rest] : [];
        have = rest.length;
      }
    }
    finished = true;
  } finally {
    if (!finished) out.process.kill('SIGKILL');
  }
  const code = await out.closed;
  if (code !== 0) throw new VideoFileError(`${path}: decoding failed (${reason(out.stderr(), path)})`);
}

/** Where encoded frames go: the file, its size and rate, and optionally a file whose audio track is kept. */
export interface EncodeTarget {
  output: string;
  width: number;
  height: number;
  rate: string;
  /** A file whose first audio track (if any) is muxed in, re-encoded for the container. */
  audioFrom?: string;
  /** Seconds to stop the output at: a track longer than the frames is cut where they end. */
  duration?: number;
}

/** The encoder arguments for a container: H.264 in MP4/MOV/MKV, VP8 in WebM; audio AAC or Vorbis. */
function codecArgs(format: string): string[] {
  if (format === 'webm') return ['-c:v', 'libvpx', '-b:v', '4M', '-crf', '8', '-deadline', 'good', '-cpu-used', '4', '-c:a', 'libvorbis'];
  return ['-c:v', 'libx264', '-preset', 'medium', '-crf', '17', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '160k', ...(format === 'mkv' ? [] : ['-movflags', '+faststart'])];
}

/** A running encoder: write raw RGB frames in order, then finish (or abort). */
export class VideoEncoder {
  private readonly process: ChildProcess;
  private stderr = '';
  private readonly closed: Promise<number>;
  private failure: Error | null = null;

  constructor(private readonly target: EncodeTarget) {
    const format = VIDEO_FORMATS[extname(target.output).toLowerCase()];
    if (!format) throw new VideoFileError(`${target.output}: unsupported video extension (supported: ${Object.keys(VIDEO_FORMATS).join(', ')})`);
    const raw = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${target.width}x${target.height}`, '-r', target.rate, '-i', 'pipe:0'];
    const audio = target.audioFrom ? ['-i', target.audioFrom, '-map', '0:v:0', '-map', '1:a:0?'] : ['-map', '0:v:0'];
    // 4:2:0 video needs even sides: an odd one loses its last row or column.
    const even = target.width % 2 || target.height % 2 ? ['-vf', `crop=${target.width & ~1}:${target.height & ~1}:0:0`] : [];
    const duration = target.duration === undefined ? [] : ['-t', String(target.duration)];
    const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...raw, ...audio, ...even, ...codecArgs(format), ...duration, '-f', format === 'mkv' ? 'matroska' : format, target.output];
    this.process = spawn(FFMPEG, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.process.stderr!.setEncoding('utf8');
    this.process.stderr!.on('data', (d: string) => (this.stderr += d));
    this.process.stdin!.on('error', (e) => (this.failure ??= e));
    this.process.on('error', (e) => (this.failure ??= e));
    this.closed = new Promise((resolve) => this.process.on('close', (code) => resolve(code ?? 1)));
  }

  /** One frame of width·height·3 bytes; waits while the encoder's pipe is full. */
  async write(rgb: Uint8Array): Promise<void> {
    if (this.failure) throw this.error();
    if (rgb.length !== this.target.width * this.target.height * 3) throw new Error(`frame of ${rgb.length} bytes, expected ${this.target.width * this.target.height * 3}`);
    const stdin = this.process.stdin!;
    if (!stdin.write(rgb)) await new Promise<void>((resolve) => stdin.once('drain', resolve).once('close', resolve));
  }

  /** Closes the stream and waits for the file. */
  async finish(): Promise<void> {
    this.process.stdin!.end();
    const code = await this.closed;
    if (code !== 0 || this.failure) throw this.error();
  }

  /** Stops without finishing the file. */
  abort(): void {
    this.process.kill('SIGKILL');
  }

  private error(): VideoFileError {
    return new VideoFileError(`${this.target.output}: encoding failed (${reason(this.stderr, this.target.output) || this.failure?.message})`);
  }
}

/**
 * The first audio track of any file ffmpeg reads, as mono 32-bit float PCM at `sampleRate`: what the audio analysis
 * takes. Throws VideoFileError with a one-line reason for a missing file or one without audio.
 */
export async function decodeAudio(path: string, sampleRate = 44100): Promise<Float32Array> {
  inputFile(path);
  const out = ffmpegOutput(['-i', path, '-map', '0:a:0', '-f', 'f32le', '-ac', '1', '-ar', String(sampleRate)]);
  const chunks: Buffer[] = [];
  for await (const chunk of out.stdout) chunks.push(chunk);
  const code = await out.closed;
  const stderr = out.stderr();
  if (/matches no streams/.test(stderr)) throw new VideoFileError(`${path}: has no audio track`);
  if (code !== 0) throw new VideoFileError(`${path}: not audio ffmpeg can read (${reason(stderr, path)})`);
  const all = Buffer.concat(chunks);
  if (all.length < 4) throw new VideoFileError(`${path}: has no audio track`);
  // Copied into a fresh buffer: a Float32Array needs 4-byte alignment, which a Node buffer's offset need not have.
  return new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + (all.length & ~3)));
}
