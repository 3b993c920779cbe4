/**
 * A soundtrack picked or dropped on the page, decoded to PCM: decodeAudioData exists only on the page (the worker
 * has no AudioContext), so the page decodes and the worker analyses and encodes. Decoded at 48 kHz, the rate every
 * WebCodecs Opus encoder takes, so the same samples serve the analysis and the mux.
 */

/** The file types offered by the picker (the browser decides what it can decode). */
export const AUDIO_ACCEPT = 'audio/*,.mp3,.ogg,.oga,.opus,.wav,.flac,.m4a';

export const SOUNDTRACK_RATE = 48_000;

/** A decoded track: up to two channels (more are folded into the first two's left and right), planar. */
export interface DecodedAudio {
  name: string;
  channels: Float32Array<ArrayBuffer>[];
  sampleRate: number;
  /** Seconds. */
  duration: number;
}

/** Raised with the line the page shows when a file holds no audio this browser decodes. */
export class AudioFileError extends Error {}

export async function decodeAudioFile(file: File): Promise<DecodedAudio> {
  const context = new OfflineAudioContext(1, 1, SOUNDTRACK_RATE);
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(await file.arrayBuffer());
  } catch {
    throw new AudioFileError(`${file.name}: no audio this browser can decode`);
  }
  if (buffer.length === 0 || buffer.numberOfChannels === 0) throw new AudioFileError(`${file.name}: no audio this browser can decode`);
  const all = Array.from({ length: buffer.numberOfChannels }, (_, k) => buffer.getChannelData(k));
  return { name: file.name, channels: all.length > 2 ? foldToStereo(all) : all.map((c) => c.slice()), sampleRate: buffer.sampleRate, duration: buffer.duration };
}

/** Surround folded into two: even channels into the left, odd into the right (a soundtrack, not a mastering tool). */
function foldToStereo(all: Float32Array<ArrayBuffer>[]): Float32Array<ArrayBuffer>[] {
  const out = [new Float32Array(all[0]!.length), new Float32Array(all[0]!.length)];
  all.forEach((c, k) => {
    const side = out[k % 2]!;
    const share = 1 / Math.ceil((all.length - (k % 2)) / 2);
    for (let i = 0; i < c.length; i++) side[i]! += c[i]! * share;
  });
  return out;
}

/** Copies of the channels for one job: the job's are transferred to the worker, the page keeps its own. */
export const pcmCopy = (audio: DecodedAudio): Float32Array<ArrayBuffer>[] => audio.channels.map((c) => c.slice());
