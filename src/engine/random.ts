/** Seeded PRNG (mulberry32): jitter offsets and noise seeds are reproducible from `seed`. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [-max, max]. */
export function randomOffset(rng: () => number, max: number): number {
  return Math.floor(rng() * (2 * max + 1)) - max;
}

/**
 * The seed to hand tfjs's random ops. tfjs's normal sampler treats a falsy seed as none and draws from Math.random, so
 * seed 0 (our default) gave a different picture every run; this maps every uint32 seed to a distinct non-zero one.
 */
export function tfSeed(seed: number): number {
  return (seed >>> 0) + 1;
}
