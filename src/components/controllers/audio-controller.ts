import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AudioFrame } from '../../engine/audio/features';
import { LiveAnalyser } from '../../engine/audio/live';
import { BLOCK } from '../../engine/audio/features';
import { AudioInput, type AudioSourceKind } from '../media/audio-input';
import type { Notify } from './notify';

export interface AudioPorts {
  /** The features to the worker (null: the sound stopped). */
  send: (features: AudioFrame | null) => void;
  /** Whether the look maps sound to settings now: only then are features sent and the meters shown. */
  mapped: () => boolean;
  notify: Notify;
  /** Each frame's features for the meters (null: none to show), without re-rendering the whole host. */
  show: (features: AudioFrame | null) => void;
}

/**
 * Live sound driving the dream: the source (a file, the microphone, a shared tab, or none), analysed once per animation frame
 * into the engine's features (engine/audio/live.ts), sent to the worker at most once per frame while the look has
 * mappings, and kept for the overlay's meters. A file that will not play or a denied microphone is one toast; the
 * dream goes on.
 */
export class AudioController implements ReactiveController {
  readonly input = new AudioInput();
  /** The latest features while sound is coming in, else null (the meters hide). */
  features: AudioFrame | null = null;
  private analyser: LiveAnalyser | null = null;
  private frame = 0;
  private sending = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ports: AudioPorts,
  ) {
    host.addController(this);
    // The element's own play/pause: the loop follows, and stopped sound hands the settings back at once.
    this.input.element.addEventListener('play', () => this.loop());
    this.input.element.addEventListener('pause', () => this.silence());
  }

  get kind(): AudioSourceKind {
    return this.input.kind;
  }

  /** Whether the meters show: sound comes in and the look maps it. */
  get metering(): boolean {
    return this.features !== null && this.ports.mapped();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    cancelAnimationFrame(this.frame);
    this.input.dispose();
  }

  /** Plays a file (dropped or picked); a file with no decodable sound is one line and nothing else changes. */
  async playFile(file: File): Promise<void> {
    this.analyser = null;
    try {
      await this.input.playFile(file);
      this.loop();
    } catch (e) {
      // Loaded but waiting for its play button is news, not a failure.
      this.ports.notify((e as Error).message, this.input.kind === 'file' ? 'info' : 'error');
      this.silence();
    }
    this.host.requestUpdate();
  }

  async openMic(): Promise<void> {
    await this.openStream(() => this.input.openMic());
  }

  /** Another tab's sound (a music player in a tab), shared through the browser's picker. */
  async openTab(): Promise<void> {
    await this.openStream(() => this.input.openTab());
  }

  /** Opens a live source; a refusal or a source without sound is one line, and the dream goes on. */
  private async openStream(open: () => Promise<void>): Promise<void> {
    this.analyser = null;
    try {
      await open();
      this.loop();
    } catch (e) {
      this.ports.notify((e as Error).message, 'error');
      this.silence();
    }
    this.host.requestUpdate();
  }

  stop(): void {
    this.input.stop();
    this.analyser = null;
    this.silence();
    this.host.requestUpdate();
  }

  /** One animation frame: read the blocks heard since the last, analyse, send (once per frame at most), show. */
  private loop(): void {
    cancelAnimationFrame(this.frame);
    // A new source: its loudness says nothing about the last one's, so the running maxima start over.
    const analyser = (this.analyser ??= new LiveAnalyser({ binHz: this.input.sampleRate / BLOCK }));
    let latest: AudioFrame | null = null;
    let onset = false;
    const sounding = this.input.read((power, rms, t) => {
      latest = analyser.push(power, rms, t);
      onset ||= latest.onset;
    });
    if (!sounding) return this.silence();
    // No block yet (a frame sooner than a hop): the last features stand.
    const f: AudioFrame | null = latest ? { ...(latest as AudioFrame), onset } : this.features && { ...this.features, onset: false };
    if (!f) {
      this.frame = requestAnimationFrame(() => this.loop());
      return;
    }
    this.features = f;
    if (this.ports.mapped()) {
      this.ports.send(f);
      this.sending = true;
    } else if (this.sending) this.stopSending();
    this.ports.show(this.metering ? f : null);
    this.frame = requestAnimationFrame(() => this.loop());
  }

  /** No sound: the meters hide and the worker hands back the person's settings. */
  private silence(): void {
    cancelAnimationFrame(this.frame);
    this.features = null;
    if (this.sending) this.stopSending();
    this.ports.show(null);
    this.host.requestUpdate();
  }

  private stopSending(): void {
    this.sending = false;
    this.ports.send(null);
  }
}
