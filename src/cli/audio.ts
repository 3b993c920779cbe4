/**
 * The zoom's soundtrack: --audio FILE is decoded, analysed offline at the video's frame rate, and turned into the
 * settings of each frame by an --audio-map preset (engine/audio/mapping.ts).
 */
import { AUDIO_PRESET_NAMES, AUDIO_PRESETS, type AudioDrive, type AudioMappingInput, type AudioPreset } from '../engine/audio/mapping';
import { driveSoundtrack } from '../engine/audio/soundtrack';
import { decodeAudio } from '../node/video-io';
import type { CliArgs } from './args';
import { UsageError } from './usage-error';

const SAMPLE_RATE = 44100;

export interface Soundtrack {
  path: string;
  /** The preset followed, or 'mappings' when the look's own (--audio-mappings) were given. */
  preset: AudioPreset | 'mappings';
  drive: AudioDrive;
  /** Video frames that cover the track at the frame rate it was analysed at. */
  frames: number;
}

/** The --audio-map preset, checked before anything is read; undefined without --audio. */
export function audioPreset(values: CliArgs['values']): AudioPreset | undefined {
  const name = values['audio-map'];
  if (values.audio === undefined) {
    if (name !== undefined) throw new UsageError('--audio-map needs --audio');
    return undefined;
  }
  if (typeof values.audio !== 'string' || values.audio === '') throw new UsageError('--audio needs a file');
  if (name === undefined) return 'pulse';
  if (!(AUDIO_PRESET_NAMES as readonly unknown[]).includes(name)) throw new UsageError(`--audio-map must be one of ${AUDIO_PRESET_NAMES.join(', ')} (got "${String(name)}")`);
  return name as AudioPreset;
}

/**
 * Decodes and analyses the track for `fps`, over `frames` frames when given, else as many as the track lasts. The
 * look's own mappings (settings.audio.mappings, --audio-mappings), when there are any, win over the preset.
 */
export async function readSoundtrack(path: string, preset: AudioPreset, fps: number, frames?: number, mappings: readonly AudioMappingInput[] = []): Promise<Soundtrack> {
  const pcm = await decodeAudio(path, SAMPLE_RATE);
  const own = mappings.length > 0;
  return { path, preset: own ? 'mappings' : preset, ...driveSoundtrack(pcm, SAMPLE_RATE, fps, own ? mappings : AUDIO_PRESETS[preset], frames) };
}
