import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LookError, type Look } from '../../engine/params/look';
import { CAMERA_MODE, MODES, takesCamera, usesCamera } from '../../engine/modes/catalog';
import type { Mode, Settings } from '../../engine/params/settings';
import type { SourceRole } from '../../workers/protocol';
import { DEFAULT_CONTENT, DEFAULT_STYLE, findSample, SAMPLES, type Sample } from '../look/samples';
import { listenForFiles } from '../input/file-intake';
import { isVideoFile } from '../input/video-file';
import { isAudioFile } from '../media/audio-input';
import type { Notify } from './notify';
import { lookFromFile } from '../look/snapshot';
import { Webcam } from '../media/webcam';


export interface SourcesPorts {
  /** Decodes and sends a picture to the worker; throws an Error fit to show when it is not one. */
  send: (role: SourceRole, blob: Blob, name: string) => Promise<void>;
  sendCameraFrame: (frame: ImageBitmap) => void;
  settings: () => Settings;
  applySettings: (next: Settings) => void;
  /** A restored look's mask (none: the look applies everywhere). */
  restoreMask: (mask: string | undefined) => void;
  /** The sources changed: the URL follows. */
  changed: () => void;
  notify: Notify;
  /** Unattended (kiosk): a sample that fails to load is replaced by the next one rather than leaving a blank wall. */
  unattended: () => boolean;
  /** Where dropped and pasted files are taken: the whole window, or only the element. */
  scope: () => 'window' | 'element';
  /** A video file dropped or pasted: dreamed as a video job rather than decoded as a picture. */
  video?: (file: File) => void;
  /** A sound file dropped or pasted: played, and followed by the look's audio mappings. */
  audio?: (file: File) => void;
}

/** What the sources are, as far as a link or a look can carry them: built-in samples only. */
export interface SampleChoice {
  content?: string;
  style?: string;
  style2?: string;
}

/** Where a picture comes from, which decides what is remembered once it is on the worker. */
type Origin = { sample: Sample } | { own: string };

/**
 * Every picture the dream runs on, by ONE path from a blob to the worker: built-in samples, a `src` URL, files
 * dropped, pasted or picked (a dreamstream PNG among them restores its look), and the camera. It remembers which
 * sample each role shows, or that the user's own picture replaced it (no thumbnail is theirs, no link carries it).
 */
export class SourcesController implements ReactiveController {
  contentSample = DEFAULT_CONTENT;
  styleSample = DEFAULT_STYLE;
  /** The user's own pictures (by file name or URL) when they replace the samples. */
  ownContent: string | null = null;
  ownStyle: string | null = null;
  /** The second painting: a sample id, or null for none (or the user's own, in ownStyle2). */
  style2Sample: string | null = null;
  ownStyle2: string | null = null;
  webcamOn = false;
  /** The picture mode to return to when the webcam stops. */
  private pictureMode: Mode = MODES[0];
  private readonly webcam: Webcam;
  private stopFiles: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly ports: SourcesPorts,
  ) {
    this.webcam = new Webcam((frame) => ports.sendCameraFrame(frame));
    host.addController(this);
  }

  hostConnected(): void {
    const target = this.ports.scope() === 'window' ? window : this.host;
    this.stopFiles = listenForFiles((file, name) => {
      if (this.ports.video && isVideoFile(file)) this.ports.video(file);
      else if (this.ports.audio && isAudioFile(file)) this.ports.audio(file);
      else void this.loadFile(file, 'content', name);
    }, target);
  }

  hostDisconnected(): void {
    this.stopFiles?.();
    this.stopFiles = null;
    this.webcam.stop();
  }

  /** The first sources: a `src` URL (its fallback the content sample) or the content sample, the style sample. */
  start(first: { src: string; content: string; style: string; style2?: string; mode: Mode }): void {
    this.contentSample = first.content;
    this.styleSample = first.style;
    if (!usesCamera(first.mode)) this.pictureMode = first.mode;
    if (first.src) void this.loadUrl(first.src);
    else void this.loadSample('content', first.content);
    void this.loadSample('style', first.style);
    if (first.style2) void this.loadSample('style2', first.style2);
    if (usesCamera(first.mode)) void this.setWebcam(true);
  }

  /** The samples a link or a look may name: none for a role the user's own picture holds. */
  samples(): SampleChoice {
    return {
      content: this.ownContent === null ? this.contentSample : undefined,
      style: this.ownStyle === null ? this.styleSample : undefined,
      style2: this.ownStyle2 === null && this.style2Sample !== null ? this.style2Sample : undefined,
    };
  }

  /** The user's own pictures in use, by name (what a link cannot carry). */
  ownPictures(): string[] {
    return [this.ownContent, this.ownStyle, this.ownStyle2].filter((x): x is string => x !== null);
  }

  /** The thumbnail to mark for each role: none while the camera or the user's own picture replaces it. */
  activeContent(mode: Mode): string {
    return usesCamera(mode) || this.ownContent !== null ? '' : this.contentSample;
  }

  activeStyle(): string {
    return this.ownStyle !== null ? '' : this.styleSample;
  }

  /** The second painting's thumbnail: '' for the user's own, null for none. */
  activeStyle2(): string | null {
    return this.ownStyle2 !== null ? '' : this.style2Sample;
  }

  /** One painting again: the second keeps no share (the worker keeps the picture, at weight 0). */
  clearSecondStyle(): void {
    this.style2Sample = this.ownStyle2 = null;
    const s = this.ports.settings();
    if (s.style.styleBlend.length > 1) this.ports.applySettings({ ...s, style: { ...s.style, styleBlend: [1] } });
    this.host.requestUpdate();
    this.ports.changed();
  }

  loadSample(role: SourceRole, id: string, attempt = 1): Promise<void> {
    const sample = findSample(id);
    if (!sample) return Promise.resolve();
    return this.take(role, () => fetchBlob(sample.url), sample.name, { sample }, (message) => {
      this.ports.notify(`sample "${sample.name}" could not be loaded: ${message}`, 'error');
      // Unattended, a failed source must not leave a blank wall: try the next sample of the same role.
      const same = SAMPLES.filter((x) => x.role === sample.role);
      const next = same[(same.indexOf(sample) + 1) % same.length]!;
      if (this.ports.unattended() && next.id !== id && attempt < same.length) void this.loadSample(role, next.id, attempt + 1);
    });
  }

  /** A picture by URL (the `src` attribute): fetched by the page, decoded off the main thread. */
  loadUrl(url: string): Promise<void> {
    return this.take('content', () => fetchBlob(url), url, { own: url }, (message) => {
      this.ports.notify(`${url}: ${message}; dreaming on a sample instead`, 'error');
      void this.loadSample('content', this.contentSample);
    });
  }

  /** A file the user gave: a dreamstream PNG restores its look first, and is then the picture for `role` all the same. */
  loadFile(file: Blob, role: SourceRole = 'content', name = 'your image'): Promise<void> {
    return this.take(role, async () => {
      if (role === 'guide') this.guideOn();
      await this.restoreLook(file, role, name);
      return file;
    }, name, { own: name }, (message) => this.ports.notify(`${name}: ${message}`, 'error'));
  }

  /** A sample picked from the panel, by its URL. */
  pick(role: SourceRole, url: string): void {
    const sample = SAMPLES.find((s) => s.url === url);
    if (sample) void this.loadSample(role, sample.id);
  }

  /** The one path: get the blob, send it, remember where it came from, let the URL follow; or report and fall back. */
  private async take(role: SourceRole, blob: () => Promise<Blob>, name: string, origin: Origin, failed: (message: string) => void): Promise<void> {
    try {
      await this.ports.send(role, await blob(), name);
    } catch (e) {
      failed((e as Error).message);
      return;
    }
    if (role !== 'guide') {
      const sample = 'sample' in origin ? origin.sample.id : null;
      const own = 'own' in origin ? origin.own : null;
      if (role === 'content') {
        if (sample) this.contentSample = sample;
        this.ownContent = own;
      } else if (role === 'style') {
        if (sample) this.styleSample = sample;
        this.ownStyle = own;
      } else {
        this.style2Sample = sample;
        this.ownStyle2 = own;
        this.shareSecondStyle();
      }
    }
    this.host.requestUpdate();
    this.ports.changed();
  }

  /** A second painting chosen while it has no share gets half, so the choice shows. */
  private shareSecondStyle(): void {
    const s = this.ports.settings();
    if ((s.style.styleBlend[1] ?? 0) === 0) this.ports.applySettings({ ...s, style: { ...s.style, styleBlend: [0.5, 0.5] } });
  }

  /** A guide picture pulls the dream only with a weight: one that is off is switched on. */
  private guideOn(): void {
    const s = this.ports.settings();
    if (s.dream.guideWeight === 0) this.ports.applySettings({ ...s, dream: { ...s.dream, guideWeight: 1 } });
  }

  /**
   * A snapshot's or CLI render's look: its settings, and the built-in style sample it names (the file itself is
   * the picture for `role`, so its own role's sample is not loaded over it).
   */
  private async restoreLook(file: Blob, role: SourceRole, name: string): Promise<void> {
    let look: Look | null;
    try {
      look = await lookFromFile(file);
    } catch (e) {
      // A look this app cannot read (newer, or damaged) does not stop the picture being used.
      if (e instanceof LookError) this.ports.notify(`${name}: its look could not be read (${e.message}); using it as a picture`, 'info');
      return;
    }
    if (!look) return;
    this.ports.applySettings(look.settings);
    this.ports.restoreMask(look.mask);
    if (role !== 'style' && look.style && findSample(look.style)) void this.loadSample('style', look.style);
    if (role !== 'style2' && look.style2 && findSample(look.style2)) void this.loadSample('style2', look.style2);
    this.ports.notify('look restored from the snapshot', 'info');
  }

  /** Settings changed (a preset, the mode select, a look): the camera follows the mode. */
  settingsChanged(prev: Settings, next: Settings): void {
    if (usesCamera(next.mode) && !usesCamera(prev.mode)) {
      this.pictureMode = prev.mode;
      void this.setWebcam(true);
    }
    if (!takesCamera(next.mode) && usesCamera(prev.mode)) void this.setWebcam(false);
  }

  async setWebcam(on: boolean): Promise<void> {
    const settings = this.ports.settings;
    if (!on) {
      this.webcam.stop();
      this.webcamOn = false;
      this.host.requestUpdate();
      // Stopping the camera leaves webcam mode for the picture chosen before it.
      if (usesCamera(settings().mode)) this.ports.applySettings({ ...settings(), mode: this.pictureMode });
      return;
    }
    try {
      await this.webcam.start();
      this.webcamOn = true;
      this.host.requestUpdate();
      if (!takesCamera(settings().mode)) this.ports.applySettings({ ...settings(), mode: CAMERA_MODE });
    } catch (e) {
      this.webcamOn = false;
      this.host.requestUpdate();
      this.ports.notify((e as Error).message, 'error');
      if (usesCamera(settings().mode)) this.ports.applySettings({ ...settings(), mode: this.pictureMode });
    }
  }

  /** The worker took the last camera frame. */
  cameraAck(): void {
    this.webcam.ack();
  }
}

async function fetchBlob(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}
