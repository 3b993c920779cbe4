import { rgbPixels, type Rect, type RgbPixels, type TileGrid } from './types';

export interface GridLayout {
  /** Tiles per row; default: a near-square grid. */
  columns?: number;
  /** Pixels between tiles and around the edge. */
  gap?: number;
  /** Grey level of the gaps. */
  background?: number;
}

/**
 * Tiles (any sizes; each cell is as large as the largest tile) laid out left to right, top to bottom. Returns the
 * pixels and each tile's rectangle, so a caller can label or hit-test them. tiles[i] may be undefined: an empty cell
 * (an atlas tile not computed yet).
 */
export function layoutGrid(tiles: readonly (RgbPixels | undefined)[], layout: GridLayout = {}): TileGrid {
  const n = tiles.length;
  const columns = Math.max(1, Math.min(n, layout.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / columns));
  const gap = layout.gap ?? 2;
  const cellW = Math.max(1, ...tiles.map((t) => t?.width ?? 0));
  const cellH = Math.max(1, ...tiles.map((t) => t?.height ?? 0));
  const width = columns * cellW + (columns + 1) * gap;
  const height = rows * cellH + (rows + 1) * gap;
  const out = rgbPixels(width, height);
  out.data.fill(layout.background ?? 24);
  const rects: { index: number; rect: Rect }[] = [];
  tiles.forEach((t, i) => {
    const rect: Rect = { x: gap + (i % columns) * (cellW + gap), y: gap + Math.floor(i / columns) * (cellH + gap), width: t?.width ?? cellW, height: t?.height ?? cellH };
    rects.push({ index: i, rect });
    if (t) blit(out, t, rect.x, rect.y);
  });
  return { pixels: out, tiles: rects };
}

/** Copies `src` into `dst` with its top left at (x, y); what falls outside is dropped. */
export function blit(dst: RgbPixels, src: RgbPixels, x: number, y: number): void {
  for (let r = 0; r < src.height; r++) {
    const dy = y + r;
    if (dy < 0 || dy >= dst.height) continue;
    const from = Math.max(0, -x);
    const to = Math.min(src.width, dst.width - x);
    if (to <= from) continue;
    dst.data.set(src.data.subarray((r * src.width + from) * 3, (r * src.width + to) * 3), (dy * dst.width + x + from) * 3);
  }
}

/** The pixels inside `rect` (clamped to the picture). */
export function crop(p: RgbPixels, rect: Rect): RgbPixels {
  const x0 = Math.max(0, Math.min(p.width, rect.x));
  const y0 = Math.max(0, Math.min(p.height, rect.y));
  const x1 = Math.max(x0, Math.min(p.width, rect.x + rect.width));
  const y1 = Math.max(y0, Math.min(p.height, rect.y + rect.height));
  const out = rgbPixels(x1 - x0, y1 - y0);
  for (let r = 0; r < out.height; r++) out.data.set(p.data.subarray(((y0 + r) * p.width + x0) * 3, ((y0 + r) * p.width + x1) * 3), r * out.width * 3);
  return out;
}
