import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AUDIO_PRESET_NAMES, AUDIO_PRESETS, audioMappingsSchema, type AudioMappingInput, type AudioPreset, type ExportJob } from '../workers/protocol';
import { AUDIO_ACCEPT, AudioFileError, decodeAudioFile, pcmCopy, type DecodedAudio } from './input/audio-file';
import { jobFiles, JobPanel } from './jobs/job-panel';
import { jobPanelStyles } from './job-panel.styles';

/** The panel's form: a job without its soundtrack (that is the decoded file, kept apart), always with a frame count. */
type ExportForm = Omit<ExportJob, 'soundtrack' | 'frames'> & { frames: number };

/** What mappings drive: "onset → stream.zoom". */
const drives = (mappings: readonly AudioMappingInput[]) => mappings.map((m) => `${m.feature} → ${m.target}`).join(', ');
/** The export's mapping choice: a preset, or the look's own mappings (its sound section). */
type ExportMapping = AudioPreset | 'look';

/** "2:05", "0:03": a track's length. */
const minutes = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/**
 * The frame-exact zoom export: from the frame on screen or the source picture, how many frames, at what size and
 * rate, how many dream steps per frame, and optionally a soundtrack (picked or dropped) whose music drives the
 * zoom through a mapping preset and plays in the video. Asks for a 'zoom' job (JobPanel's events); shows its
 * progress and the finished videos.
 */
@customElement('ds-export')
export class DsExport extends JobPanel<'zoom'> {
  protected readonly kind = 'zoom';
  @state() private job: ExportForm = { frames: 150, fps: 30, size: 512, stepsPerFrame: 3, format: 'webm', start: 'frame' };
  /** The decoded soundtrack (null: none); kept, so one pick serves several exports. */
  @state() private audio: DecodedAudio | null = null;
  /** The look's own sound mappings (the settings' audio section): the export follows them by default when there are any. */
  @property({ attribute: false }) mappings: readonly AudioMappingInput[] = [];
  /** null: the look's mappings when it has some, else pulse. */
  @state() private audioMap: ExportMapping | null = null;
  /** With a soundtrack: the video lasts as long as the track (else the frame count cuts it). */
  @state() private fitTrack = true;
  @state() private audioNote: string | null = null;

  static override styles = [jobPanelStyles, css`
    .drop { grid-column: 1 / -1; border: 1px dashed #555; border-radius: 4px; padding: 3px 6px; cursor: pointer; text-align: center; color: #bbb; }
    .drop.over { border-color: #7fd1ff; color: #7fd1ff; }
    .drop input { display: none; }
    .track { display: flex; gap: 6px; align-items: center; min-width: 0; }
    .name { display: flex; gap: 0.3em; min-width: 0; white-space: nowrap; }
    .name span { overflow: hidden; text-overflow: ellipsis; }
    .none { color: #888; }
    .fit { display: flex; gap: 6px; align-items: center; }
    .fit input { width: auto; margin: 0; }
    .error { color: #ff9a8a; margin: 4px 0; }
  `];

  private set<K extends keyof ExportForm>(key: K, value: ExportForm[K]): void {
    this.job = { ...this.job, [key]: value };
  }

  private num(key: 'frames' | 'fps' | 'size' | 'stepsPerFrame', label: string, min: number, max: number, shown = this.job[key], disabled = false) {
    return html`<label for=${key}>${label}</label>
      <input id=${key} name=${`export.${key}`} type="number" min=${min} max=${max} .value=${String(shown)} ?disabled=${disabled}
        @change=${(e: Event) => {
          const v = Math.round(Number((e.target as HTMLInputElement).value));
          this.set(key, Math.min(max, Math.max(min, Number.isFinite(v) ? v : min)));
        }} />`;
  }

  /** Decodes a picked or dropped file; one that holds no audio says so in one line and leaves the last track. */
  private async useAudio(file: File): Promise<void> {
    this.audioNote = `decoding ${file.name}…`;
    try {
      this.audio = await decodeAudioFile(file);
      this.audioNote = null;
    } catch (e) {
      this.audioNote = e instanceof AudioFileError ? e.message : `${file.name}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.useAudio(file);
  }

  private onDrop(e: DragEvent): void {
    // The page takes files dropped anywhere as pictures: this one is the soundtrack's.
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void this.useAudio(file);
  }

  private onDragOver(e: DragEvent): void {
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).classList.add('over');
  }

  private start(): void {
    const audio = this.audio;
    if (!audio) return this.request(this.job);
    const { frames, ...rest } = this.job;
    const map = this.chosenMapping();
    const mappings = audioMappingsSchema.parse(map === 'look' ? this.mappings : AUDIO_PRESETS[map]);
    const soundtrack = { channels: pcmCopy(audio), sampleRate: audio.sampleRate, mappings };
    this.request({ ...rest, ...(this.fitTrack ? {} : { frames }), soundtrack });
  }

  /** The mapping the export follows: the person's choice; by default the look's own, else pulse. */
  private chosenMapping(): ExportMapping {
    const map = this.audioMap ?? (this.mappings.length > 0 ? 'look' : 'pulse');
    return map === 'look' && this.mappings.length === 0 ? 'pulse' : map;
  }

  private soundtrackRows() {
    const audio = this.audio;
    return html`<span>Soundtrack</span>
      <div class="track">
        ${audio
          ? html`<span class="name" data-stat="export-audio" title=${audio.name}><span>${audio.name}</span> (${minutes(audio.duration)})</span>
              <button data-action="export-audio-remove" title="No soundtrack" @click=${() => (this.audio = null)}>✕</button>`
          : html`<span class="none">none</span>`}
      </div>
      <label class="drop" title="An audio file (MP3, Ogg, WAV, FLAC): its music drives the zoom and plays in the video"
        @dragover=${this.onDragOver} @dragleave=${(e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('over')} @drop=${this.onDrop}>
        ${audio ? 'Other audio…' : 'Choose audio…'} or drop it here<input type="file" name="export-audio" accept=${AUDIO_ACCEPT} @change=${this.onPick} /></label>
      ${audio
        ? html`<label for="export-audio-map">Mapping</label>
            <select id="export-audio-map" name="export.audioMap" title="What the music moves" @change=${(e: Event) => (this.audioMap = (e.target as HTMLSelectElement).value as ExportMapping)}>
              ${this.mappings.length > 0
                ? html`<option value="look" ?selected=${this.chosenMapping() === 'look'}>as live: ${drives(this.mappings)}</option>`
                : nothing}
              ${AUDIO_PRESET_NAMES.map((n) => html`<option value=${n} ?selected=${n === this.chosenMapping()}>${n}: ${drives(AUDIO_PRESETS[n])}</option>`)}
            </select>
            <span>Length</span>
            <label class="fit" title="The video lasts as long as the track (off: the frame count cuts it)">
              <input name="export.fitTrack" type="checkbox" .checked=${this.fitTrack} @change=${(e: Event) => (this.fitTrack = (e.target as HTMLInputElement).checked)} />
              the track's</label>`
        : nothing}`;
  }

  override render() {
    const { running, files } = this.view;
    const p = running?.progress;
    const fit = this.audio !== null && this.fitTrack;
    return html`<details>
      <summary>Export zoom video (frame-exact)</summary>
      <div class="grid">
        <label for="export-start">Start from</label>
        <select id="export-start" name="export.start" title="The frame on screen as it is now, or the picture it was dreamed from"
          @change=${(e: Event) => this.set('start', (e.target as HTMLSelectElement).value === 'source' ? 'source' : 'frame')}>
          <option value="frame" ?selected=${this.job.start !== 'source'}>this frame</option>
          <option value="source" ?selected=${this.job.start === 'source'}>the source picture</option>
        </select>
        ${this.soundtrackRows()}
        ${this.num('frames', 'Frames', 1, 10000, fit ? Math.max(1, Math.ceil(this.audio!.duration * this.job.fps)) : this.job.frames, fit)}
        ${this.num('size', 'Size (px)', 80, 3840)} ${this.num('fps', 'Frames/s', 1, 60)}
        ${this.num('stepsPerFrame', 'Steps/frame', 1, 50)}
        <label for="format">Format</label>
        <select id="format" name="export.format" @change=${(e: Event) => this.set('format', (e.target as HTMLSelectElement).value as ExportJob['format'])}>
          <option value="webm" ?selected=${this.job.format === 'webm'}>WebM</option>
          <option value="mp4" ?selected=${this.job.format === 'mp4'}>MP4</option>
        </select>
      </div>
      ${this.audioNote ? html`<p class="error" role="status" data-stat="export-audio-note">${this.audioNote}</p>` : nothing}
      ${p
        ? html`<progress max=${p.frames} value=${p.frame}></progress> <span data-stat="export">${p.frame}/${p.frames}</span>
            <button data-action="export-cancel" @click=${() => this.cancel()}>Cancel</button>`
        : html`<button data-action="export" @click=${() => this.start()}>Render video</button>`}
      ${jobFiles(files)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-export': DsExport;
  }
}
