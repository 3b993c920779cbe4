/** A finished recording, kept by the page until the user downloads it. */
export interface Recording {
  blob: Blob;
  url: string;
  name: string;
  seconds: number;
}

const TYPES = ['video/mp4;codecs=avc1', 'video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

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
  private recorder: MediaRecorder | null = null;
  private chunks: Blob[] = [];
  private startedAt = 0;
  private type = '';
  readonly finished: Recording[] = [];

  constructor(private readonly onChange: () => void) {}

  get recording(): boolean {
    return this.recorder !== null;
  }

  get elapsed(): number {
    return this.recorder ? (performance.now() - this.startedAt) / 1000 : 0;
  }

  start(canvas: HTMLCanvasElement, type = recordableTypes()[0]): void {
    if (this.recorder) return;
    if (!type) throw new Error('this browser cannot record video (no MediaRecorder format)');
    const stream = canvas.captureStream(30);
    const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 8_000_000 });
    this.type = type;
    this.chunks = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    recorder.onstop = () => this.finish();
    recorder.start(1000);
    this.recorder = recorder;
    this.startedAt = performance.now();
    this.onChange();
  }

  stop(): void {
    const r = this.recorder;
    if (!r) return;
    this.recorder = null;
    if (r.state !== 'inactive') r.stop();
    else this.finish();
  }

  /** The canvas is being replaced (worker restart): close this segment, start a new one on `next`. */
  continueOn(next: HTMLCanvasElement): void {
    if (!this.recorder) return;
    const type = this.type;
    this.stop();
    this.start(next, type);
  }

  private finish(): void {
    if (this.chunks.length === 0) return;
    const blob = new Blob(this.chunks, { type: this.type.split(';')[0] });
    this.chunks = [];
    const ext = this.type.startsWith('video/mp4') ? 'mp4' : 'webm';
    const name = `dreamstream-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
    this.finished.push({ blob, url: URL.createObjectURL(blob), name, seconds: (performance.now() - this.startedAt) / 1000 });
    this.onChange();
  }
}
