import type { GraphNode } from './types';

/**
 * Where a layer's positions sit on the input picture, and how many there are for an input of a given size: what
 * tiling needs to line a tile's activations up with the whole picture's, and to size a tile from its largest tensor.
 */
export interface LayerGrid {
  /** Positions down and across, for the input size asked. */
  height: number;
  width: number;
  channels: number;
  /** Input pixels from one position to the next, [down, across]. */
  stride: [number, number];
  /** The input pixel (row, column) at the centre of position 0's window. */
  offset: [number, number];
}

function outSize(n: number, k: number, s: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/**
 * The grid of every node for an h×w input, in graph order. A 'valid' window moves the centre of position 0 in by
 * half its size (in the input's own stride); a 'same' window keeps it (tfjs pads 'same' symmetrically up to one
 * pixel, which for stride 1 keeps the centres; InceptionV3's strided layers are all 'valid').
 */
export function layerGrids(nodes: readonly GraphNode[], channels: ReadonlyMap<string, number>, height: number, width: number): Map<string, LayerGrid> {
  const grids = new Map<string, LayerGrid>();
  for (const n of nodes) {
    const c = channels.get(n.name) ?? 0;
    if (n.kind === 'input') {
      grids.set(n.name, { height, width, channels: 3, stride: [1, 1], offset: [0, 0] });
      continue;
    }
    if (n.kind === 'concat') {
      const first = grids.get(n.inputs[0]!)!;
      grids.set(n.name, { ...first, channels: c });
      continue;
    }
    const src = grids.get(n.input)!;
    const [kh, kw] = n.kind === 'conv' ? [n.filter.shape[0], n.filter.shape[1]] : n.size;
    const [sh, sw] = n.strides;
    const valid = n.padding === 'valid';
    grids.set(n.name, {
      height: outSize(src.height, kh, sh, n.padding),
      width: outSize(src.width, kw, sw, n.padding),
      channels: c,
      stride: [src.stride[0] * sh, src.stride[1] * sw],
      offset: valid ? [src.offset[0] + ((kh - 1) / 2) * src.stride[0], src.offset[1] + ((kw - 1) / 2) * src.stride[1]] : src.offset,
    });
  }
  return grids;
}
