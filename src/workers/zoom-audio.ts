/**
 * The zoom export's soundtrack in the file: the page's PCM encoded with WebCodecs (through mediabunny) into the
 * first compressed codec the container takes and this browser encodes (Opus in WebM; AAC, then Opus, in MP4), added
 * frame by frame beside the video so the muxer interleaves the two and the track ends where the video ends.
 */
import { AudioSample, AudioSampleSource, getFirstEncodableAudioCodec, NON_PCM_AUDIO_CODECS, QUALITY_HIGH, type Output, type OutputFormat } from 'mediabunny';
import { frameSamples } from '../engine/audio/soundtrack';

/** Planar PCM: one Float32Array per channel, all the same length. */
export interface PcmTrack {
  channels: readonly Float32Array[];
  sampleRate: number;
}

/** Adds the samples under one video frame (none past the track's end). */
export type AddAudioFrame = (frame: number) => Promise<void>;

/**
 * Adds an audio track for `pcm` to `output` (before it starts): the function that feeds it frame by frame, or the
 * one line saying why the video goes without sound (no codec the container takes is encoded by this browser).
 * Uncompressed PCM is left out: a song as raw samples would be far larger than the video.
 */
export async function addSoundtrack(output: Output, format: OutputFormat, pcm: PcmTrack, fps: number): Promise<{ add: AddAudioFrame } | { note: string }> {
  const { channels, sampleRate } = pcm;
  const compressed = format.getSupportedAudioCodecs().filter((c) => (NON_PCM_AUDIO_CODECS as readonly string[]).includes(c));
  const codec = await getFirstEncodableAudioCodec(compressed, { numberOfChannels: channels.length, sampleRate, bitrate: QUALITY_HIGH });
  if (!codec) return { note: `without sound: this browser cannot encode audio for ${format.fileExtension.slice(1)} (${compressed.join(', ')})` };
  const source = new AudioSampleSource({ codec, bitrate: QUALITY_HIGH });
  output.addAudioTrack(source);
  const length = channels[0]!.length;
  return {
    add: async (frame) => {
      const [start, end] = frameSamples(frame, fps, sampleRate, length);
      if (end <= start) return;
      const data = new Float32Array((end - start) * channels.length);
      channels.forEach((c, k) => data.set(c.subarray(start, end), k * (end - start)));
      const sample = new AudioSample({ data, format: 'f32-planar', numberOfChannels: channels.length, sampleRate, timestamp: start / sampleRate });
      try {
        await source.add(sample);
      } finally {
        sample.close();
      }
    },
  };
}
