/**
 * Camera capture for webcam dreaming. Frames go to the worker as ImageBitmaps (transferred, not copied), one at
 * a time: the next frame is grabbed only after the worker acknowledged the previous one, so a slow backend
 * never builds a queue of stale frames.
 */
export class Webcam {
  private stream: MediaStream | null = null;
  private video: HTMLVideoElement | null = null;
  private waiting = false;
  private running = false;

  constructor(
    private readonly onFrame: (frame: ImageBitmap) => void,
    private readonly maxSide = 640,
  ) {}

  get active(): boolean {
    return this.running;
  }

  /** Starts the camera; throws an Error whose message is fit to show the user. */
  async start(): Promise<void> {
    if (this.running) return;
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser offers no camera access (a secure context is needed)');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (e) {
      const name = (e as DOMException).name;
      throw new Error(
        name === 'NotAllowedError' ? 'camera permission was denied: dreaming on the picture instead'
        : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'no camera found: dreaming on the picture instead'
        : `the camera could not start (${name || String(e)}): dreaming on the picture instead`,
      );
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = this.stream;
    await video.play();
    this.video = video;
    this.running = true;
    this.waiting = false;
    void this.grab();
  }

  /** The worker has taken the last frame. */
  ack(): void {
    this.waiting = false;
    if (this.running) requestAnimationFrame(() => void this.grab());
  }

  private async grab(): Promise<void> {
    const v = this.video;
    if (!this.running || this.waiting || !v || v.readyState < 2 || !v.videoWidth) {
      if (this.running && !this.waiting) setTimeout(() => void this.grab(), 50);
      return;
    }
    this.waiting = true;
    const scale = Math.min(1, this.maxSide / Math.max(v.videoWidth, v.videoHeight));
    const frame = await createImageBitmap(v, { resizeWidth: Math.round(v.videoWidth * scale), resizeHeight: Math.round(v.videoHeight * scale) });
    if (this.running) this.onFrame(frame);
    else frame.close();
  }

  stop(): void {
    this.running = false;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video = null;
  }
}
