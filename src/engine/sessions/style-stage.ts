import * as tf from '@tensorflow/tfjs';
import type { Weighted } from '../image/colour-match';
import { resize } from '../image/geometry';
import { randomSimilarity, similarity } from '../image/similarity';
import { exactSide, MIN_INPUT_SIZE, type ModelRunner } from '../model/runner';
import type { StyleParams } from '../params/style';
import { randomOffset } from '../random';
import { ContentTiles } from '../tiles/content-targets';
import { wholeGrams } from '../tiles/gram';
import type { Tiler } from '../tiles/tiler';

/** A style picture and its share of the blend. */
export type Painting = Weighted;

/**
 * The shares of `n` paintings from a blend list: a share not given is the first painting's whole (1) or nothing
 * for the others; when the paintings present get nothing at all (shares only for missing ones), the first has it.
 */
export function shares(blend: readonly number[], n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => blend[i] ?? (i === 0 ? 1 : 0));
  return out.some((w) => w > 0) ? out : out.map((_, i) => (i === 0 ? 1 : 0));
}

/**
 * The painting resized so its long side is `scale` × the content's (`long`), its aspect kept. Large reductions
 * (a 1024 px source for a 224 px frame) halve by 2×2 averages first: bilinear alone would alias away the very
 * brush strokes the Gram matrices are meant to see.
 */
export function styleAtScale(style: tf.Tensor4D, long: number, scale: number): tf.Tensor4D {
  const target = Math.max(MIN_INPUT_SIZE, Math.round(long * scale));
  return tf.tidy(() => {
    let x = style;
    while (Math.max(x.shape[1], x.shape[2]) >= 2 * target) x = tf.avgPool(x, 2, 2, 'same');
    const [, h, w] = x.shape;
    const k = target / Math.max(h, w);
    const side = (n: number) => Math.max(MIN_INPUT_SIZE, Math.round(n * k));
    return tf.image.resizeBilinear(x, [side(h), side(w)], true) as tf.Tensor4D;
  });
}

/**
 * [h, w] of each coarse-to-fine stage, smallest first, the full size last: 1/√2 apart, none with a side under the
 * network's smallest input.
 */
export function stageSizes(h: number, w: number, stages: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = stages - 1; k > 0; k--) {
    const f = Math.SQRT1_2 ** k;
    const size: [number, number] = [Math.round(h * f), Math.round(w * f)];
    if (Math.min(...size) >= MIN_INPUT_SIZE) out.push(size);
  }
  out.push([h, w]);
  return out;
}

/**
 * Everything style transfer aims at, at one size: the content there and its activations, seen as the network sees
 * the picture (reflect-padded), and the Gram matrices of each painting at the matching scale, blended by their
 * shares. The padding and jitter shrink with the stage, so a coarse stage sees what the full size will.
 */
export class StyleStage {
  readonly size: [number, number];
  readonly content: tf.Tensor4D;
  /** The content's activations at the content layer, seen untransformed (null when tiled: see contentTiles). */
  private readonly target: tf.Tensor4D | null;
  /**
   * When the view is larger than a tile: its share-out and the content's activations tile by tile (the stage owns
   * them); null when the view is computed in one piece.
   */
  readonly contentTiles: ContentTiles | null;
  /** [painting][layer] */
  private readonly grams: tf.Tensor2D[][];
  /** The blended target per style layer. */
  private blended: tf.Tensor2D[] = [];
  private readonly pad: number;
  private readonly margin: number;

  constructor(
    private readonly runner: ModelRunner,
    /** The content at full size (already colour-matched when that is asked). */
    content: tf.Tensor4D,
    paintings: readonly Painting[],
    size: [number, number],
    private readonly params: StyleParams,
    /** Tiles for a view larger than a tile (the caller owns it); without one the view is one piece. */
    tiler?: Tiler,
  ) {
    this.size = size;
    const f = size[0] / content.shape[1];
    this.pad = Math.round(params.pad * f);
    // The jitter never reaches past the reflected band.
    this.margin = Math.min(Math.round(params.jitter * f), this.pad);
    const [h, w] = size;
    this.content = h === content.shape[1] && w === content.shape[2] ? (content.clone() as tf.Tensor4D) : resize(content, h, w);
    const names = params.styleLayers.map((l) => l.name);
    const view = tf.tidy(() => this.view(this.content, this.margin, this.margin));
    const shares = tiler?.create(view.shape[1], view.shape[2], [params.contentLayer, ...names]) ?? null;
    this.contentTiles = shares ? new ContentTiles(runner, view, shares, params.contentLayer) : null;
    this.target = shares ? null : tf.tidy(() => runner.run(view, [params.contentLayer])[params.contentLayer]!);
    if (view !== this.content) view.dispose();
    // Through tiles when the painting at this scale is larger than one (wholeGrams is gram() otherwise).
    this.grams = paintings.map((p) => {
      const image = styleAtScale(p.image, Math.max(h, w), params.styleScale);
      try {
        return wholeGrams(runner, image, names, tiler);
      } finally {
        image.dispose();
      }
    });
    this.blend(paintings.map((p) => p.weight));
  }

  /** The content's activations as the network sees it, for a view in one piece. */
  get contentTarget(): tf.Tensor4D {
    if (!this.target) throw new Error('this stage is tiled: its content targets are per tile (contentTiles)');
    return this.target;
  }

  /** The style targets per layer. */
  get targets(): readonly tf.Tensor2D[] {
    return this.blended;
  }

  /** New shares of the paintings (normalised here): the targets follow at once, no network pass. */
  blend(weights: readonly number[]): void {
    const total = weights.reduce((s, w) => s + w, 0);
    const next = tf.tidy(() =>
      this.grams[0]!.map((_, layer) => (this.grams.length === 1 ? this.grams[0]![layer]!.clone() : tf.addN(this.grams.map((g, p) => g[layer]!.mul(weights[p]! / total))) as tf.Tensor2D)),
    );
    tf.dispose(this.blended);
    this.blended = next;
  }

  /** A random view for one step: the jitter offset and the turn and scale. */
  randomView(rng: () => number): { dy: number; dx: number; angle: number; scale: number } {
    const m = this.margin;
    const [dy, dx] = [m + randomOffset(rng, m), m + randomOffset(rng, m)];
    const p = this.params;
    const t = p.jitterRotate > 0 || p.jitterScale > 0 ? randomSimilarity(rng, p.jitterRotate, p.jitterScale) : { angle: 0, scale: 1 };
    return { dy, dx, ...t };
  }

  /**
   * What the network sees of `x`: reflect-padded by `pad` less the jitter margin on each side, the margin split
   * between the sides by the offset (dy, dx ∈ [0, 2·margin]), then turned and scaled about its centre. One mirror
   * pad, no crop: on wasm a slice of the image is a slow path. The view's sides are made exact for the network
   * (exactSide), so its bottom and right edges weigh as much as its top and left.
   */
  view(x: tf.Tensor4D, dy: number, dx: number, angle = 0, scale = 1): tf.Tensor4D {
    if (this.pad === 0) return similarity(x, { angle, scale });
    const { size, top, left } = this.placement(dy, dx);
    const [, h, w] = x.shape;
    const padded = tf.mirrorPad(x, [[0, 0], [top, size[0] - h - top], [left, size[1] - w - left], [0, 0]], 'reflect');
    return similarity(padded, { angle, scale });
  }

  /**
   * Where view() puts the picture (at the stage's size) for the offset (dy, dx), before any turn: the view's
   * [h, w] and the padding above and to the left.
   */
  placement(dy: number, dx: number): { size: [number, number]; top: number; left: number } {
    const [pad, m] = [this.pad, this.margin];
    const [h, w] = this.size;
    if (pad === 0) return { size: [h, w], top: 0, left: 0 };
    // The far sides get the few extra reflected pixels that make the view a side the network divides exactly.
    return { size: [exactSide(h + 2 * (pad - m)), exactSide(w + 2 * (pad - m))], top: pad - dy, left: pad - dx };
  }

  dispose(): void {
    this.content.dispose();
    this.target?.dispose();
    if (this.contentTiles) {
      this.contentTiles.dispose();
      this.contentTiles.shares.dispose();
    }
    for (const g of this.grams) tf.dispose(g);
    tf.dispose(this.blended);
  }
}
