/** A finished recording, kept by the page until the user downloads it. */
export interface Recording {
  blob: Blob;
  url: string;
  name: string;
  seconds: number;
  /** The size every frame of it was encoded at. */
  width: number;
  height: number;
}

/** A frame size in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** How the working frame fills the stage (the stage canvas's object-fit). */
export type Fit = 'cover' | 'contain';

const TYPES = ['video/mp4;codecs=avc1', 'video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/** A recording's long side at most: enough for a stage on any screen, and what encoders take at a frame rate of 30. */
export const MAX_RECORDING_SIDE = 1280;
/** The smallest long side the encoder check steps down to. */
const MIN_RECORDING_SIDE = 160;
const FRAME_RATE = 30;
const BITS_PER_SECOND = 8_000_000;

const CONTAINERS: Record<string, string> = { 'video/mp4': 'MP4', 'video/webm': 'WebM', 'video/x-matroska': 'Matroska' };
const CODECS: Record<string, string> = { avc1: 'H.264', h264: 'H.264', avc3: 'H.264', hvc1: 'H.265', hev1: 'H.265', vp9: 'VP9', vp09: 'VP9', vp8: 'VP8', av1: 'AV1', av01: 'AV1', opus: 'Opus', mp4a: 'AAC', vorbis: 'Vorbis' };

/**
 * A MediaRecorder type in plain words for the format menu: container and codec, e.g.
 * `video/webm;codecs=vp9` → "WebM (VP9)", `video/webm` → "WebM (browser default codec)".
 */
export function recordingTypeLabel(type: string): string {
  const [base = '', ...params] = type.split(';').map((x) => x.trim());
  const mime = base.toLowerCase();
  const container = CONTAINERS[mime] ?? (mime.replace(/^video\//, '').toUpperCase() || type);
  const codecsParam = params.find((x) => /^codecs\s*=/i.test(x));
  const codecs = (codecsParam?.replace(/^codecs\s*=\s*/i, '').replace(/^"|"$/g, '') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    // A codec string may carry a profile after a dot (avc1.42E01E, vp09.00.10.08): name the family.
    .map((c) => CODECS[c.toLowerCase()] ?? CODECS[c.split('.')[0]!.toLowerCase()] ?? c);
  return `${container} (${codecs.length ? [...new Set(codecs)].join(', ') : 'browser default codec'})`;
}

/** Container formats this browser can record, best first. */
export function recordableTypes(): string[] {
  return typeof MediaRecorder === 'undefined' ? [] : TYPES.filter((t) => MediaRecorder.isTypeSupported(t));
}

/**
 * The size a recording is encoded at, fixed for its whole length: the stage's displayed size in device pixels
 * (`display`), or the frame's own size where the stage is not laid out, scaled down to a long side of at most
 * `maxSide`, with even sides (H.264 takes no odd ones).
 */
export function recordingSize(display: Size, frame: Size, maxSide = MAX_RECORDING_SIDE): Size {
  const base = display.width >= 2 && display.height >= 2 ? display : frame.width >= 2 && frame.height >= 2 ? frame : { width: 640, height: 400 };
  const scale = Math.min(1, maxSide / Math.max(base.width, base.height));
  const even = (v: number) => Math.max(2, 2 * Math.round((v * scale) / 2));
  return { width: even(base.width), height: even(base.height) };
}

/**
 * Where a `src`-sized frame goes on a `dst`-sized recording, as drawImage's source and destination rectangles:
 * cover crops the frame to fill the recording (as the stage shows it), contain letterboxes it whole.
 */
export function fitRects(src: Size, dst: Size, fit: Fit): { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number } {
  const full = { sx: 0, sy: 0, sw: src.width, sh: src.height, dx: 0, dy: 0, dw: dst.width, dh: dst.height };
  if (src.width <= 0 || src.height <= 0) return full;
  if (fit === 'cover') {
    const scale = Math.max(dst.width / src.width, dst.height / src.height);
    const sw = dst.width / scale;
    const sh = dst.height / scale;
    return { ...full, sx: (src.width - sw) / 2, sy: (src.height - sh) / 2, sw, sh };
  }
  const scale = Math.min(dst.width / src.width, dst.height / src.height);
  const dw = src.width * scale;
  const dh = src.height * scale;
  return { ...full, dx: (dst.width - dw) / 2, dy: (dst.height - dh) / 2, dw, dh };
}

/** The WebCodecs codec that stands for a MediaRecorder type when asking the encoder what it takes. */
export function encoderCodec(type: string): string {
  if (/avc1|h264|avc3/i.test(type)) return 'avc1.42E028';
  if (/vp9|vp09/i.test(type)) return 'vp09.00.40.08';
  if (/av01|av1/i.test(type)) return 'av01.0.08M.08';
  return 'vp8';
}

/**
 * `size`, or smaller (the same shape) until this browser's encoder for `type` says it takes it. Where WebCodecs
 * cannot be asked, `size` as it is.
 */
export async function encodableSize(type: string, size: Size): Promise<Size> {
  if (typeof VideoEncoder === 'undefined') return size;
  const codec = encoderCodec(type);
  let s = size;
  for (;;) {
    const ok = await VideoEncoder.isConfigSupported({ codec, width: s.width, height: s.height, bitrate: BITS_PER_SECOND, framerate: FRAME_RATE })
      .then((r) => r.supported === true)
      .catch(() => false);
    if (ok) return s;
    const long = Math.max(s.width, s.height);
    if (long * 0.75 < MIN_RECORDING_SIDE) return s;
    s = recordingSize(s, s, Math.floor(long * 0.75));
  }
}

/** The stage canvas's displayed size in device pixels, and how it fits the frame (its CSS object-fit). */
function stageView(canvas: HTMLCanvasElement): { display: Size; fit: Fit } {
  const dpr = (typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1) || 1;
  const display = { width: Math.round((canvas.clientWidth || 0) * dpr), height: Math.round((canvas.clientHeight || 0) * dpr) };
  const fit = typeof getComputedStyle === 'function' && canvas.isConnected && getComputedStyle(canvas).objectFit === 'contain' ? 'contain' : 'cover';
  return { display, fit };
}

/** Frames of a fixed size for MediaRecorder: a stream, and the canvas it is taken from. */
export interface FrameSource {
  readonly stream: MediaStream;
  stop(): void;
}

/** Chromium's MediaStreamTrackProcessor on the page: a video track's frames as a stream of VideoFrames. */
type TrackProcessor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };

/**
 * Scales the stage canvas's frames (the worker's, whatever its working size) into a page canvas of one fixed size,
 * with high-quality smoothing and fitted as the stage shows them, and streams that canvas: the encoder sees one
 * size from the first frame to the last, however often the working size changes. Where the browser hands over
 * the stage's frames as they are drawn (MediaStreamTrackProcessor), each is scaled once, at the stream's pace;
 * elsewhere (or until they come) the stage is drawn on animation frames, at most FRAME_RATE a second.
 */
export class ScaledFrames implements FrameSource {
  readonly stream: MediaStream;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private raf = 0;
  private stopped = false;
  private readonly input: MediaStream | null = null;

  constructor(
    private readonly source: HTMLCanvasElement,
    readonly size: Size,
    private readonly fit: Fit,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = size.width;
    this.canvas.height = size.height;
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('cannot record: no 2D canvas to scale frames on');
    this.ctx = ctx;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.fillStyle = '#000';
    // The recording begins with the stage's picture: a canvas the worker has not drawn on yet gives no frame (and
    // an untouched canvas none either, not even a black one).
    if (workerDrew(source)) this.draw(source, source.width, source.height);
    this.stream = this.canvas.captureStream(FRAME_RATE);
    const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessor }).MediaStreamTrackProcessor;
    const track = Processor && typeof source.captureStream === 'function' ? source.captureStream().getVideoTracks()[0] : undefined;
    if (Processor && track) {
      this.input = new MediaStream([track]);
      void this.follow(new Processor({ track }).readable.getReader());
    }
    // Until the stage's own frames come (where they never do: no processor, or a canvas whose frames the browser
    // does not capture, as Chromium's WebGPU canvases in a worker), the stage is drawn as it is shown, at most
    // FRAME_RATE times a second.
    let last = -Infinity;
    const tick = (now: number) => {
      if (this.stopped || this.captured) return;
      this.raf = requestAnimationFrame(tick);
      if (now - last < 1000 / FRAME_RATE - 1 || !workerDrew(source)) return;
      last = now;
      this.draw(source, source.width, source.height);
    };
    this.raf = requestAnimationFrame(tick);
  }

  /** Whether the stage's frames are coming as they are drawn (then each is scaled once, and nothing else is drawn). */
  private captured = false;

  /** Scales each frame of the stage as it comes, until stopped. */
  private async follow(reader: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
    try {
      while (!this.stopped) {
        const { value: frame, done } = await reader.read();
        if (done) break;
        this.captured = true;
        try {
          if (!this.stopped) this.draw(frame, frame.displayWidth, frame.displayHeight);
        } finally {
          frame.close();
        }
      }
    } catch {
      // The stage's track ended (its canvas was replaced): the recording keeps its last frame.
    } finally {
      reader.releaseLock();
    }
  }

  /**
   * One frame of the stage, scaled. A canvas the worker has not drawn on yet (just restarted) cannot be drawn
   * from: the recording keeps its last frame until it can.
   */
  private draw(image: CanvasImageSource, width: number, height: number): void {
    if (!(width > 0 && height > 0)) return;
    const r = fitRects({ width, height }, this.size, this.fit);
    const ctx = this.ctx;
    try {
      if (this.fit === 'contain') ctx.fillRect(0, 0, this.size.width, this.size.height);
      ctx.drawImage(image, r.sx, r.sy, r.sw, r.sh, r.dx, r.dy, r.dw, r.dh);
    } catch {
      // Nothing to draw yet: the last frame stays.
    }
  }

  stop(): void {
    this.stopped = true;
    cancelAnimationFrame(this.raf);
    for (const track of [...this.stream.getTracks(), ...(this.input?.getTracks() ?? [])]) track.stop();
  }
}

/** Whether the worker has drawn on the stage canvas: it sets the working size; until then the HTML default stands. */
function workerDrew(canvas: HTMLCanvasElement): boolean {
  return canvas.width > 0 && canvas.height > 0 && !(canvas.width === 300 && canvas.height === 150);
}

/** Makes the fixed-size frames a segment records (tests give their own). */
export type FrameSourceFactory = (canvas: HTMLCanvasElement, size: Size, fit: Fit) => FrameSource;

const scaledFrames: FrameSourceFactory = (canvas, size, fit) => new ScaledFrames(canvas, size, fit);

/**
 * Records the stage with MediaRecorder at one size for the whole recording, picked when it starts (the stage's
 * displayed size, at most MAX_RECORDING_SIDE on the long side, within what the encoder takes): every frame of
 * the worker's canvas is scaled to it, so a change of working size mid-recording never reaches the encoder (an
 * H.264 stream cannot change size). Chunks are collected every second in the page, outside the worker, so nothing
 * recorded is lost if the dreaming loop fails; when the worker is restarted onto a new canvas, the current segment
 * is closed (and kept) and recording continues on the new canvas, at the same size.
 */
export class CanvasRecorder {
  /**
   * The segment being recorded. Each segment keeps its own chunks: a stopped MediaRecorder still delivers its last
   * chunk after stop(), by which time a restart may already be recording the next segment.
   */
  private current: { recorder: MediaRecorder; frames: FrameSource; segment: Segment } | null = null;
  /** A start waiting for the encoder's answer about the size (a second start, or a stop, meanwhile are ignored / cancel it). */
  private starting: { cancelled: boolean } | null = null;
  readonly finished: Recording[] = [];

  constructor(
    private readonly onChange: () => void,
    private readonly frames: FrameSourceFactory = scaledFrames,
  ) {}

  get recording(): boolean {
    return this.current !== null || this.starting !== null;
  }

  /** The size the segment being recorded is encoded at, or null. */
  get size(): Size | null {
    return this.current ? { width: this.current.segment.width, height: this.current.segment.height } : null;
  }

  /** Encoded bytes delivered so far for the segment being recorded (MediaRecorder hands them over every second). */
  get bytes(): number {
    return this.current ? this.current.segment.chunks.reduce((n, c) => n + c.size, 0) : 0;
  }

  get elapsed(): number {
    return this.current ? (performance.now() - this.current.segment.startedAt) / 1000 : 0;
  }

  /**
   * Starts recording `canvas` as `type` at the size its stage shows it (or `size`: a segment that continues a
   * recording keeps the recording's size). Resolves once recording, or throws a one-line reason.
   */
  async start(canvas: HTMLCanvasElement, type = recordableTypes()[0], size?: Size): Promise<void> {
    if (this.current || this.starting) return;
    if (!type) throw new Error('this browser cannot record video (no MediaRecorder format)');
    const view = stageView(canvas);
    const state = (this.starting = { cancelled: false });
    let chosen: Size;
    try {
      chosen = size ?? (await encodableSize(type, recordingSize(view.display, { width: canvas.width, height: canvas.height })));
    } finally {
      this.starting = null;
    }
    if (state.cancelled) return;
    const frames = this.frames(canvas, chosen, view.fit);
    let recorder: MediaRecorder;
    try {
      // A key frame every second: the MP4 muxer hands over a fragment at each, so the page holds what was recorded
      // as it goes (without, Chromium keeps a slow stream's MP4 to itself until the recording stops).
      const options = { mimeType: type, videoBitsPerSecond: BITS_PER_SECOND, videoKeyFrameIntervalDuration: 1000 };
      recorder = new MediaRecorder(frames.stream, options);
    } catch (e) {
      frames.stop();
      throw e;
    }
    const segment: Segment = { type, chunks: [], startedAt: performance.now(), seconds: 0, ...chosen };
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) segment.chunks.push(e.data);
    };
    recorder.onstop = () => {
      frames.stop();
      this.finish(segment);
    };
    recorder.start(1000);
    this.current = { recorder, frames, segment };
    this.onChange();
  }

  stop(): void {
    if (this.starting) this.starting.cancelled = true;
    this.starting = null;
    const c = this.current;
    if (!c) return;
    this.current = null;
    c.segment.seconds = (performance.now() - c.segment.startedAt) / 1000;
    if (c.recorder.state !== 'inactive') c.recorder.stop();
    else {
      c.frames.stop();
      this.finish(c.segment);
    }
  }

  /** The canvas is being replaced (worker restart): close this segment, start a new one on `next`, at the same size. */
  async continueOn(next: HTMLCanvasElement): Promise<void> {
    if (!this.current) return;
    const { type, width, height } = this.current.segment;
    this.stop();
    await this.start(next, type, { width, height });
  }

  private finish(segment: Segment): void {
    if (segment.chunks.length === 0) return;
    const blob = new Blob(segment.chunks, { type: segment.type.split(';')[0] });
    segment.chunks = [];
    const ext = segment.type.startsWith('video/mp4') ? 'mp4' : 'webm';
    const name = `dreamstream-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
    this.finished.push({ blob, url: URL.createObjectURL(blob), name, seconds: segment.seconds, width: segment.width, height: segment.height });
    this.onChange();
  }
}

interface Segment extends Size {
  type: string;
  chunks: Blob[];
  startedAt: number;
  /** Length, fixed when the segment is stopped. */
  seconds: number;
}
