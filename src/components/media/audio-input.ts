/**
 * Sound in the page: an audio file played by an <audio> element (its own play/pause controls), the microphone, or
 * another tab's sound (screen sharing with its audio: a music player in a tab), each routed through a WebAudio AnalyserNode whose latest samples (HISTORY of them, 0.37 s at 44.1 kHz) the page
 * reads once per animation frame and cuts into blocks (engine/audio/live.ts), so a click between two slow frames
 * of a loaded page is still heard. The file is heard
 * (the analyser passes it to the speakers); the microphone and the shared tab are not (no feedback howl; the tab
plays its own sound). Nothing is recorded or sent
 * anywhere: the analyser keeps one block of samples, and only the features derived from it reach the worker.
 */
import { BlockCutter } from '../../engine/audio/live';

/** Samples the analyser keeps (its largest FFT size but one): a page may read as seldom as every 0.3 s and miss none. */
const HISTORY = 16384;

export const AUDIO_ACCEPT = 'audio/*,.mp3,.ogg,.oga,.wav,.flac,.m4a,.opus';

/** Whether a dropped or picked file is sound rather than a picture. */
export function isAudioFile(file: File): boolean {
  return file.type.startsWith('audio/') || /\.(mp3|ogg|oga|wav|flac|m4a|opus)$/i.test(file.name);
}

export type AudioSourceKind = 'off' | 'file' | 'mic' | 'tab';

/** One block as the live analyser takes it: its power spectrum, RMS and end time on the audio clock (seconds). */
export type TakeBlock = (power: Float64Array, rms: number, t: number) => void;

export class AudioInput {
  /** The player of a file: shown in the panel with its own controls. */
  readonly element: HTMLAudioElement;
  private context: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private fileNode: MediaElementAudioSourceNode | null = null;
  private micNode: MediaStreamAudioSourceNode | null = null;
  private micStream: MediaStream | null = null;
  private objectUrl: string | null = null;
  private readonly samples = new Float32Array(HISTORY);
  private cutter = new BlockCutter();
  /** The audio clock at the last read: how many samples are new since. */
  private readAt: number | null = null;
  kind: AudioSourceKind = 'off';
  name = '';

  constructor() {
    this.element = document.createElement('audio');
    this.element.controls = true;
    this.element.loop = true;
    this.element.preload = 'auto';
  }

  get sampleRate(): number {
    return this.context?.sampleRate ?? 44100;
  }

  /** Whether sound is coming in now: the file plays, or the microphone is open. */
  get sounding(): boolean {
    if (this.kind === 'mic' || this.kind === 'tab') return this.micStream !== null && this.micStream.getAudioTracks().some((t) => t.readyState === 'live');
    return this.kind === 'file' && !this.element.paused && !this.element.ended;
  }

  private graph(): { context: AudioContext; analyser: AnalyserNode } {
    if (!this.context || !this.analyser) {
      this.context = new AudioContext();
      this.analyser = this.context.createAnalyser();
      // Only its samples are read (the blocks and their spectra are the engine's, as offline).
      this.analyser.fftSize = HISTORY;
    }
    return { context: this.context, analyser: this.analyser };
  }

  /** Plays `file`; throws an Error fit to show when the browser finds no sound it can decode in it. */
  async playFile(file: File): Promise<void> {
    this.stop();
    const { context, analyser } = this.graph();
    if (!this.fileNode) {
      this.fileNode = context.createMediaElementSource(this.element);
      this.fileNode.connect(analyser);
    }
    analyser.connect(context.destination);
    this.objectUrl = URL.createObjectURL(file);
    this.element.src = this.objectUrl;
    try {
      await new Promise<void>((resolve, reject) => {
        this.element.oncanplay = () => resolve();
        this.element.onerror = () => reject(new Error('no sound this browser can decode'));
        this.element.load();
      });
    } catch (e) {
      this.stop();
      throw new Error(`${file.name}: ${(e as Error).message}`);
    } finally {
      this.element.oncanplay = this.element.onerror = null;
    }
    this.kind = 'file';
    this.name = file.name;
    this.start(context);
    try {
      await this.element.play();
    } catch (e) {
      // Loaded, but the browser wants a gesture before sound (a file dropped rather than picked): its play button.
      if ((e as DOMException).name === 'NotAllowedError') throw new Error(`${file.name} is ready: press play to hear it`);
      throw new Error(`${file.name}: could not be played (${(e as Error).message})`);
    }
  }

  /**
   * Lets the graph run. A browser starts an AudioContext only after a gesture on the page (a click, a key): where
   * none has come yet (a kiosk opening the microphone by itself), the first one starts it. Never waits.
   */
  private start(context: AudioContext): void {
    if (context.state === 'running') return;
    void context.resume();
    const onGesture = () => {
      void context.resume();
      window.removeEventListener('pointerdown', onGesture, true);
      window.removeEventListener('keydown', onGesture, true);
    };
    window.addEventListener('pointerdown', onGesture, true);
    window.addEventListener('keydown', onGesture, true);
  }

  /** Opens the microphone; throws an Error fit to show when it is denied or missing. */
  async openMic(): Promise<void> {
    this.stop();
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser offers no microphone access (a secure context is needed)');
    try {
      this.micStream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: false });
    } catch (e) {
      const name = (e as DOMException).name;
      throw new Error(
        name === 'NotAllowedError' ? 'microphone permission was denied: the dream goes on without sound'
        : name === 'NotFoundError' ? 'no microphone found: the dream goes on without sound'
        : `the microphone could not start (${name || String(e)}): the dream goes on without sound`,
      );
    }
    this.listen(this.micStream, 'mic', 'microphone');
  }

  /**
   * Listens to another tab's sound: the browser asks which tab (or screen) to share; only its audio is kept (the
   * picture track is stopped at once). Throws an Error fit to show when sharing is refused or carries no sound.
   */
  async openTab(): Promise<void> {
    this.stop();
    if (!navigator.mediaDevices?.getDisplayMedia) throw new Error("this browser cannot share a tab's sound: use a file or the microphone");
    let stream: MediaStream;
    try {
      // Chromium shares audio only along with a picture; the picture is dropped below.
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    } catch (e) {
      const name = (e as DOMException).name;
      throw new Error(name === 'NotAllowedError' ? 'no tab was shared: the dream goes on without sound' : `the tab's sound could not start (${name || String(e)}): the dream goes on without sound`);
    }
    for (const track of stream.getVideoTracks()) track.stop();
    if (stream.getAudioTracks().length === 0) throw new Error("the shared tab gave no sound (tick \"Share tab audio\" when choosing it): the dream goes on without sound");
    this.micStream = stream;
    this.listen(stream, 'tab', 'a shared tab');
  }

  /** Routes a live stream (microphone, shared tab) to the analyser, not to the speakers: heard there, it would feed back. */
  private listen(stream: MediaStream, kind: 'mic' | 'tab', name: string): void {
    const { context, analyser } = this.graph();
    analyser.disconnect();
    this.micNode = context.createMediaStreamSource(stream);
    this.micNode.connect(analyser);
    this.kind = kind;
    this.name = name;
    this.start(context);
  }

  /** Ends the sound: the file stops (and is let go), the microphone is closed. */
  stop(): void {
    this.element.pause();
    if (this.objectUrl) {
      this.element.removeAttribute('src');
      this.element.load();
      URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = null;
    }
    this.micNode?.disconnect();
    this.micNode = null;
    for (const track of this.micStream?.getTracks() ?? []) track.stop();
    this.micStream = null;
    this.analyser?.disconnect();
    this.kind = 'off';
    this.name = '';
  }

  /** Hands `take` each block heard since the last read, oldest first; false while nothing sounds. */
  read(take: TakeBlock): boolean {
    if (!this.sounding || !this.analyser || !this.context) {
      this.readAt = null;
      return false;
    }
    // Waiting for the page's first gesture (see start): nothing heard yet, but the sound is on.
    if (this.context.state !== 'running') {
      this.readAt = null;
      return true;
    }
    const now = this.context.currentTime;
    const rate = this.context.sampleRate;
    this.analyser.getFloatTimeDomainData(this.samples);
    // The first read after a start takes only its newest block: what came before was not this sound.
    if (this.readAt === null) this.cutter = new BlockCutter();
    const fresh = this.readAt === null ? this.cutter.hop : (now - this.readAt) * rate;
    this.readAt = now;
    this.cutter.cut(this.samples, fresh, now, rate, take);
    return true;
  }

  dispose(): void {
    this.stop();
    void this.context?.close();
    this.context = null;
    this.analyser = null;
    this.fileNode = null;
  }
}
