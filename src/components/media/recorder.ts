/** A finished recording, kept by the page until the user downloads it. */
export interface Recording {
  blob: Blob;
  url: string;
  name: string;
  seconds: number;
}

const TYPES = ['video/mp4;codecs=avc1', 'video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

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
 * Records the stage canvas with MediaRecorder. Chunks are collected every second in the page, outside the
 * worker, so nothing recorded is lost if the dreaming loop fails; when the worker is restarted onto a new
 * canvas, the current segment is closed (and kept) and recording continues on the new canvas.
 */
export class CanvasRecorder {
  /**
   * The segment being recorded. Each segment keeps its own chunks: a stopped MediaRecorder still delivers its last
   * chunk after stop(), by which time a restart may already be recording the next segment.
   */
  private current: { recorder: MediaRecorder; segment: Segment } | null = null;
  readonly finished: Recording[] = [];

  constructor(private readonly onChange: () => void) {}

  get recording(): boolean {
    return this.current !== null;
  }

  /** Encoded bytes delivered so far for the segment being recorded (MediaRecorder hands them over every second). */
  get bytes(): number {
    return this.current ? this.current.segment.chunks.reduce((n, c) => n + c.size, 0) : 0;
  }

  get elapsed(): number {
    return this.current ? (performance.now() - this.current.segment.startedAt) / 1000 : 0;
  }

  start(canvas: HTMLCanvasElement, type = recordableTypes()[0]): void {
    if (this.current) return;
    if (!type) throw new Error('this browser cannot record video (no MediaRecorder format)');
    const stream = canvas.captureStream(30);
    const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 8_000_000 });
    const segment: Segment = { type, chunks: [], startedAt: performance.now(), seconds: 0 };
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) segment.chunks.push(e.data);
    };
    recorder.onstop = () => this.finish(segment);
    recorder.start(1000);
    this.current = { recorder, segment };
    this.onChange();
  }

  stop(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    c.segment.seconds = (performance.now() - c.segment.startedAt) / 1000;
    if (c.recorder.state !== 'inactive') c.recorder.stop();
    else this.finish(c.segment);
  }

  /** The canvas is being replaced (worker restart): close this segment, start a new one on `next`. */
  continueOn(next: HTMLCanvasElement): void {
    if (!this.current) return;
    const type = this.current.segment.type;
    this.stop();
    this.start(next, type);
  }

  private finish(segment: Segment): void {
    if (segment.chunks.length === 0) return;
    const blob = new Blob(segment.chunks, { type: segment.type.split(';')[0] });
    segment.chunks = [];
    const ext = segment.type.startsWith('video/mp4') ? 'mp4' : 'webm';
    const name = `dreamstream-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
    this.finished.push({ blob, url: URL.createObjectURL(blob), name, seconds: segment.seconds });
    this.onChange();
  }
}

interface Segment {
  type: string;
  chunks: Blob[];
  startedAt: number;
  /** Length, fixed when the segment is stopped. */
  seconds: number;
}
