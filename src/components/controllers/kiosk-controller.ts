import { aboutOf, MODES, usesCamera } from '../../engine/modes/catalog';
import type { Mode } from '../../engine/params/settings';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { keepScreenAwake, Playlist } from '../media/kiosk';
import type { Notify } from './notify';
import { PRESETS, type Preset } from '../look/presets';

export interface KioskPorts {
  /** Comma-separated preset ids (empty: every preset but the webcam's) and minutes per entry. */
  playlist: () => { ids: string; minutes: number };
  /** A preset was named (URL or attribute): it stays, the playlist does not advance. */
  presetChosen: () => boolean;
  applyPreset: (p: Preset) => void;
  fullscreen: () => void;
  notify: Notify;
}

/**
 * Installation mode: the playlist, the screen kept awake, and fullscreen at the first touch or key (browsers
 * allow fullscreen only in answer to one). Started once the worker runs; everything stops with the element.
 */
export class KioskController implements ReactiveController {
  private stop: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly ports: KioskPorts,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = null;
  }

  start(): void {
    if (this.stop) return;
    const { ids: text, minutes } = this.ports.playlist();
    const ids = text.split(',').map((x) => x.trim()).filter(Boolean);
    // By default the wall dreams: no camera, and no lens (a playlist names lens presets to tour an atlas).
    const dreams = (mode: Mode) => !usesCamera(mode) && !aboutOf(mode).inspects;
    const list = ids.length ? PRESETS.filter((p) => ids.includes(p.id)) : PRESETS.filter((p) => dreams(p.settings.mode ?? MODES[0]));
    const playlist = new Playlist(list, Math.max(0.1, minutes), (p) => this.ports.applyPreset(p));
    if (!this.ports.presetChosen()) playlist.start();
    const release = keepScreenAwake((m) => this.ports.notify(m, 'info'));
    const goFullscreen = () => {
      if (!document.fullscreenElement) this.ports.fullscreen();
    };
    window.addEventListener('pointerdown', goFullscreen, { once: true });
    window.addEventListener('keydown', goFullscreen, { once: true });
    this.stop = () => {
      playlist.stop();
      release();
      window.removeEventListener('pointerdown', goFullscreen);
      window.removeEventListener('keydown', goFullscreen);
    };
  }
}
