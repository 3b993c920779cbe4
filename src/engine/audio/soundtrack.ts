/**
 * A zoom's soundtrack as the render CLI and the browser's export both follow it: the track analysed offline at the
 * video's frame rate, the mappings' envelopes over it, how many frames cover it, each frame's settings, and which
 * of the track's samples play under each frame. One copy of these rules, so a CLI video and a browser video of
 * the same song move on the same frames.
 */
import { analyseAudio } from './features';
import { applyAudio, audioDrive, type AudioDrive, type AudioMappingInput } from './mapping';

/** The mappings driven by one track, and the video frames that cover it at the rate it was analysed at. */
export interface SoundtrackDrive {
  drive: AudioDrive;
  frames: number;
}

/**
 * Analyses mono PCM for `fps` over `frames` frames when given (a person's frame count wins), else as many as the
 * track lasts (ceil(duration · fps)), and computes the mappings' envelopes over them.
 */
export function driveSoundtrack(pcm: Float32Array, sampleRate: number, fps: number, mappings: readonly AudioMappingInput[], frames?: number): SoundtrackDrive {
  const features = analyseAudio(pcm, sampleRate, fps, frames === undefined ? {} : { frames });
  return { drive: audioDrive(features, mappings), frames: features.frames.length };
}

/** The channels averaged into one, for the analysis (the mux keeps the channels as they are). */
export function monoMix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(length);
  for (const c of channels) for (let i = 0; i < length; i++) out[i]! += c[i]! / channels.length;
  return out;
}

/**
 * Frame f's settings: its steps take the dream of frame f; the transform after it makes frame f+1, so it takes
 * frame f+1's stream, and a beat's zoom kick shows on the beat's own frame. Without a drive: `base` as it is.
 */
export function frameParams<D extends object, S extends object>(base: { dream: D; stream: S }, drive: AudioDrive | undefined, f: number): { dream: D; stream: S } {
  if (!drive) return base;
  return { dream: applyAudio({ dream: base.dream }, drive, f).dream, stream: applyAudio({ stream: base.stream }, drive, f + 1).stream };
}

/**
 * The samples [start, end) that play under frame f: rounded at frame boundaries so consecutive frames tile the
 * track with no gap or overlap, and cut at the track's end (empty past it). A video longer than its track is
 * silent after it; a shorter one cuts the track at its last frame.
 */
export function frameSamples(f: number, fps: number, sampleRate: number, length: number): [number, number] {
  const at = (frame: number) => Math.min(length, Math.round((frame * sampleRate) / fps));
  return [at(f), at(f + 1)];
}
