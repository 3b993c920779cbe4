import { MIN_INPUT_SIZE } from '../model/runner';

/**
 * How a picture is cut into tiles: along each axis independently, tiles that start on a multiple of `align` px
 * (the network's largest stride, so a tile's activations sit exactly on the whole picture's grid), overlap their
 * neighbours by `overlap` px, and hand over to the next tile at the middle of the overlap. The 2-D tiles are the
 * products of the rows and the columns.
 */
export interface AxisTile {
  /** First pixel of the tile, a multiple of `align`. */
  start: number;
  /** One past its last pixel. */
  end: number;
}

/** A run of pixels covered by the same tiles: the pieces the gradient is stitched from. */
export interface Segment {
  start: number;
  end: number;
  tiles: number[];
}

export interface AxisPlan {
  length: number;
  tiles: AxisTile[];
  /** Where tile i hands over to tile i + 1 (a pixel coordinate, the middle of their overlap); one fewer than tiles. */
  boundaries: number[];
  segments: Segment[];
  /**
   * The pixels whose positions count, when the axis is a picture extended by context on both sides (a rolled
   * picture's wrap, see wrap.ts): positions centred outside get no share. Absent: the whole axis.
   */
  core?: { start: number; end: number };
}

export interface TileOptions {
  /** The largest tile side, px. */
  tile: number;
  /** Pixels shared by neighbouring tiles. */
  overlap: number;
  /** Tiles start on multiples of this. */
  align: number;
}

/**
 * Cuts [0, length) into the fewest tiles of at most `tile` px that overlap by exactly `overlap` px: n tiles spaced
 * σ = (length − overlap)/n apart (starts rounded to `align`), each reaching `overlap` px into the next, the last one
 * ending at the picture's edge. The pixels processed are length + (n − 1)·overlap, the least n tiles allow.
 */
export function planAxis(length: number, { tile, overlap, align }: TileOptions): AxisPlan {
  if (length <= tile) return { length, tiles: [{ start: 0, end: length }], boundaries: [], segments: [{ start: 0, end: length, tiles: [0] }] };
  const usable = tile - overlap - align;
  if (usable < align) throw new Error(`tile ${tile} px is too small for an overlap of ${overlap} px`);
  const n = Math.ceil((length - overlap) / usable);
  const spacing = (length - overlap) / n;
  const starts = Array.from({ length: n }, (_, i) => align * Math.round((i * spacing) / align));
  const tiles = starts.map((start, i) => ({ start, end: i === n - 1 ? length : starts[i + 1]! + overlap }));
  for (const t of tiles) {
    if (t.end - t.start > tile) throw new Error(`tile plan: a tile of ${t.end - t.start} px exceeds ${tile} px`);
    if (t.end - t.start < MIN_INPUT_SIZE) throw new Error(`tile plan: a tile of ${t.end - t.start} px is below the model's minimum of ${MIN_INPUT_SIZE} px`);
  }
  const boundaries = tiles.slice(0, -1).map((t, i) => (tiles[i + 1]!.start + t.end) / 2);
  return { length, tiles, boundaries, segments: segmentsOf(tiles) };
}

/** The runs between consecutive tile edges, each with the tiles covering it. */
function segmentsOf(tiles: readonly AxisTile[]): Segment[] {
  const cuts = [...new Set(tiles.flatMap((t) => [t.start, t.end]))].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [start, end] = [cuts[k]!, cuts[k + 1]!];
    out.push({ start, end, tiles: tiles.flatMap((t, i) => (t.start <= start && t.end >= end ? [i] : [])) });
  }
  return out;
}

/** Both axes of an h×w picture. */
export interface TilePlan {
  height: number;
  width: number;
  rows: AxisPlan;
  cols: AxisPlan;
}

export function planTiles(height: number, width: number, options: TileOptions): TilePlan {
  return { height, width, rows: planAxis(height, options), cols: planAxis(width, options) };
}

/** A picture that fits one tile is not tiled at all. */
export function isSingleTile(plan: TilePlan): boolean {
  return plan.rows.tiles.length === 1 && plan.cols.tiles.length === 1;
}

export function tileCount(plan: TilePlan): number {
  return plan.rows.tiles.length * plan.cols.tiles.length;
}
