import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { Settings } from '../../engine/params/settings';
import { isSvg, rasterizeSvg } from '../input/rasterize-svg';
import { parseFromWorker, transferables, type BackendChoice, type FromWorker, type DisplaySize, type MaskImage, type SourceRole, type ToWorker } from '../../workers/protocol';

export interface ClientOptions {
  backend: BackendChoice;
  /** wasm's threads the page asked for; unset: every core (up to 4). */
  threads?: number;
  /** Gives a fresh canvas for each worker start: a canvas can be transferred to a worker only once. */
  canvas: () => HTMLCanvasElement;
  onMessage: (m: FromWorker) => void;
  /** Called when the worker had to be restarted, with the reason. */
  onRestart: (reason: string) => void;
}

const abs = (u: string) => new URL(u, document.baseURI).href;

/**
 * The page's handle on the dreaming worker: sends validated protocol messages, validates what comes back, and
 * restarts a crashed, silent or device-lost worker from the last checkpoint frame, with the same sources.
 */
export class WorkerClient {
  private worker: Worker | null = null;
  private settings: Settings;
  private readonly sources = new Map<SourceRole, Blob>();
  private checkpoint: ImageBitmap | null = null;
  private lastHeard = 0;
  private frameGapMs = 0;
  private watchdog = 0;
  private restarts = 0;
  private disposed = false;
  private recent: number[] = [];
  private restartTimer = 0;
  private paused = false;
  /** The last mask sent (a copy: the message's own buffer is transferred), for a restarted worker. */
  private mask: MaskImage | null = null;
  /** The stage's size last sent, for a restarted worker. */
  private display: DisplaySize | null = null;

  constructor(
    private readonly opts: ClientOptions,
    settings: Settings,
  ) {
    this.settings = settings;
  }

  start(): void {
    const worker = new Worker(new URL('../../workers/dream.worker.ts', import.meta.url), { type: 'module', name: 'dreamstream' });
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent<unknown>) => this.receive(ev.data);
    worker.onerror = (ev) => {
      ev.preventDefault();
      this.restart(`worker crashed: ${ev.message || 'unknown error'}`);
    };
    const canvas = this.opts.canvas().transferControlToOffscreen();
    this.post({
      type: 'init',
      canvas,
      backend: this.opts.backend,
      ...(this.opts.threads ? { threads: this.opts.threads } : {}),
      modelUrl: abs('models/inception_v3/'),
      wasmPaths: { 'tfjs-backend-wasm.wasm': abs(wasmPlain), 'tfjs-backend-wasm-simd.wasm': abs(wasmSimd), 'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded) },
      settings: this.settings,
    });
    if (this.display) this.post({ type: 'display', ...this.display });
    for (const [role, blob] of this.sources) void this.sendBlob(role, blob, 'restored');
    if (this.mask) this.post({ type: 'mask', mask: copyMask(this.mask) });
    // A restarted worker starts running: a paused page stays paused.
    if (this.paused) this.post({ type: 'control', action: 'pause' });
    if (this.checkpoint) {
      // Restart from the last good frame rather than from the source.
      void createImageBitmap(this.checkpoint).then((image) => this.post({ type: 'restore', image }));
    }
    this.lastHeard = performance.now();
    clearInterval(this.watchdog);
    this.watchdog = window.setInterval(() => this.checkAlive(), 2000);
  }

  /** Sends a message, transferring bitmaps and canvases instead of copying them. */
  post(m: ToWorker): void {
    if (m.type === 'settings') this.settings = m.settings;
    if (m.type === 'control' && m.action !== 'reset') this.paused = m.action !== 'resume';
    if (m.type === 'mask') this.mask = m.mask && copyMask(m.mask);
    if (m.type === 'display') this.display = { width: m.width, height: m.height };
    this.worker?.postMessage(m, transferables(m));
  }

  /** Sends a raw, unvalidated value (tests use it to check the worker rejects malformed messages). */
  postRaw(data: unknown): void {
    this.worker?.postMessage(data);
  }

  /** Decodes `blob` (off the main thread) and sends it; the blob is kept so a restarted worker gets it again. */
  async sendBlob(role: SourceRole, blob: Blob, name: string): Promise<void> {
    const image = await decodeImage(blob);
    this.sources.set(role, blob);
    this.post({ type: 'source', role, image, name });
  }

  private receive(data: unknown): void {
    const now = performance.now();
    if (this.lastHeard) this.frameGapMs = Math.max(this.frameGapMs * 0.9, now - this.lastHeard);
    this.lastHeard = now;
    const r = parseFromWorker(data);
    if (!r.ok) {
      this.opts.onMessage({ type: 'error', message: r.error, fatal: false, cause: 'protocol' });
      return;
    }
    const m = r.message;
    if (m.type === 'checkpoint') {
      this.checkpoint?.close();
      this.checkpoint = m.image;
      return;
    }
    if (m.type === 'error' && m.fatal && (m.cause === 'device-lost' || m.cause === 'engine')) {
      this.opts.onMessage(m);
      this.restart(m.message);
      return;
    }
    this.opts.onMessage(m);
  }

  /** A worker that stops talking (killed, hung, crashed without an error event) is replaced. */
  private checkAlive(): void {
    const silentFor = performance.now() - this.lastHeard;
    const allowed = Math.max(30_000, this.frameGapMs * 20);
    if (silentFor > allowed) this.restart(`worker silent for ${(silentFor / 1000).toFixed(0)} s`);
  }

  restart(reason: string): void {
    if (this.disposed || this.restartTimer) return;
    this.worker?.terminate();
    this.worker = null;
    clearInterval(this.watchdog);
    this.restarts += 1;
    this.frameGapMs = 0;
    // Back off when restarts come in a burst (a fault that survives restarts), up to 30 s, for days unattended.
    const now = performance.now();
    this.recent = this.recent.filter((t) => now - t < 120_000).concat(now);
    const delay = Math.min(30_000, 500 * 2 ** (this.recent.length - 1));
    this.opts.onRestart(`${reason}: restarting${delay > 1000 ? ` in ${(delay / 1000).toFixed(0)} s` : ''} (${this.restarts})`);
    this.restartTimer = window.setTimeout(() => {
      this.restartTimer = 0;
      if (!this.disposed) this.start();
    }, delay);
  }

  get restartCount(): number {
    return this.restarts;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    this.worker?.terminate();
    this.checkpoint?.close();
  }
}

/** Decodes an image file, downscaling huge ones during decode so they never occupy full-size memory. */
export async function decodeImage(blob: Blob, maxSide = 1024): Promise<ImageBitmap> {
  if (blob.size > 64 * 1024 * 1024) throw new Error(`image is too large (${(blob.size / 1e6).toFixed(0)} MB; max 64 MB)`);
  if (await isSvg(blob)) return rasterizeSvg(blob, maxSide);
  let probe: ImageBitmap;
  try {
    probe = await createImageBitmap(blob);
  } catch {
    throw new Error('that file is not an image this browser can read (PNG, JPEG, WebP, GIF, AVIF, BMP or SVG)');
  }
  const scale = Math.min(1, maxSide / Math.max(probe.width, probe.height));
  if (scale === 1) return probe;
  const w = Math.round(probe.width * scale);
  const h = Math.round(probe.height * scale);
  const small = await createImageBitmap(probe, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  probe.close();
  return small;
}

const copyMask = (m: MaskImage): MaskImage => ({ ...m, data: m.data.slice() });
