/** Synthetic tracks for the audio tests: a click track whose click times are known. */

/** Clicks at `bpm` (a 2 ms decaying 2 kHz burst each) over faint noise, `seconds` long at `rate`; and the click times. */
export function clickTrack(bpm: number, seconds: number, offset = 0.25, rate = 44100): { pcm: Float32Array; clicks: number[] } {
  const pcm = new Float32Array(Math.round(seconds * rate));
  let seed = 7;
  for (let s = 0; s < pcm.length; s++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    pcm[s] = 0.002 * (seed / 2 ** 30 - 1);
  }
  const clicks: number[] = [];
  for (let t = offset; t < seconds; t += 60 / bpm) {
    clicks.push(t);
    const at = Math.round(t * rate);
    for (let k = 0; k < 0.002 * rate && at + k < pcm.length; k++) pcm[at + k]! += 0.8 * Math.exp(-k / 20) * Math.sin((2 * Math.PI * 2000 * k) / rate);
  }
  return { pcm, clicks };
}
