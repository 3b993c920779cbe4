import type { GraphNode, Padding } from '../model/types';
import type { BackwardOp, BufferSpec, ConvOp, ForwardOp, PlanGraph, PoolOp, View, WeightSet, WriteMode } from './types';

/** The model's graph has something the plan does not lay out; the step keeps to the tfjs path. */
export class PlanUnsupported extends Error {}

type ConvNode = Extract<GraphNode, { kind: 'conv' }>;
type PoolNode = Extract<GraphNode, { kind: 'maxPool' | 'avgPool' }>;

function outSize(n: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** TensorFlow's 'same' padding puts the odd pixel at the bottom and right: the top/left pad is the smaller half. */
function padBefore(n: number, out: number, k: number, s: number, padding: Padding): number {
  if (padding === 'valid') return 0;
  return Math.floor(Math.max((out - 1) * s + k - n, 0) / 2);
}

const isPointwise = (n: GraphNode): n is ConvNode =>
  n.kind === 'conv' && n.filter.shape[0] === 1 && n.filter.shape[1] === 1 && n.strides[0] === 1 && n.strides[1] === 1 && n.relu;

/**
 * Lays out one DeepDream step over the nodes `targets` need (in graph order, as ModelRunner.graph gives them):
 * - every tensor is a view of a buffer; a block's branches write straight into their channels of the block's
 *   output, so a concatenation costs nothing;
 * - the 1×1 convolutions that read the same input are one convolution (their weights side by side);
 * - the backward pass runs in reverse graph order, each gradient region stored by its first writer and added to by
 *   the others (a region a partial write reaches first is zeroed each frame instead).
 */
export function planGraph(nodes: readonly GraphNode[], targets: readonly string[], height: number, width: number): PlanGraph {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const order = new Map(nodes.map((n, i) => [n.name, i]));
  const consumers = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const inputs = n.kind === 'concat' ? n.inputs : n.kind === 'input' ? [] : [n.input];
    for (const i of inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }

  // Sizes of every node.
  const shape = new Map<string, [number, number, number]>();
  for (const n of nodes) {
    if (n.kind === 'input') shape.set(n.name, [height, width, 3]);
    else if (n.kind === 'concat') {
      const parts = n.inputs.map((i) => shape.get(i)!);
      shape.set(n.name, [parts[0]![0], parts[0]![1], parts.reduce((s, p) => s + p[2], 0)]);
    } else {
      const [h, w, c] = shape.get(n.input)!;
      const [kh, kw] = n.kind === 'conv' ? [n.filter.shape[0], n.filter.shape[1]] : n.size;
      const oh = outSize(h, kh, n.strides[0], n.padding);
      const ow = outSize(w, kw, n.strides[1], n.padding);
      if (oh < 1 || ow < 1) throw new PlanUnsupported(`${n.name} has no output at ${width}×${height}`);
      shape.set(n.name, [oh, ow, n.kind === 'conv' ? n.filter.shape[3] : c]);
    }
  }

  // Merge groups: pointwise convolutions sharing an input, in graph order.
  const groupOf = new Map<string, ConvNode[]>();
  for (const list of consumers.values()) {
    const pw = list.filter(isPointwise);
    if (pw.length < 2) continue;
    for (const n of pw) groupOf.set(n.name, pw);
  }

  const buffers: BufferSpec[] = [];
  const views = new Map<string, View>();
  const newBuffer = (label: string, h: number, w: number, c: number, kind: BufferSpec['kind'] = 'activation'): number => {
    buffers.push({ label, floats: h * w * c, kind });
    return buffers.length - 1;
  };
  const whole = (buf: number, [h, w, c]: [number, number, number]): View => ({ buf, h, w, c, stride: c, offset: 0 });

  // Concatenations first: each input becomes a slice of the block's buffer.
  for (const n of nodes) {
    if (n.kind !== 'concat') continue;
    const s = shape.get(n.name)!;
    const buf = newBuffer(n.name, ...s);
    views.set(n.name, whole(buf, s));
    let offset = 0;
    for (const i of n.inputs) {
      const src = byName.get(i)!;
      const [h, w, c] = shape.get(i)!;
      if ((src.kind !== 'conv' && src.kind !== 'maxPool' && src.kind !== 'avgPool') || (consumers.get(i)?.length ?? 0) !== 1 || views.has(i)) {
        throw new PlanUnsupported(`${n.name}: input ${i} is not a branch of its own`);
      }
      views.set(i, { buf, h, w, c, stride: s[2], offset });
      offset += c;
    }
  }
  for (const n of nodes) {
    if (views.has(n.name)) continue;
    const group = groupOf.get(n.name);
    if (group && group[0] === n) {
      // The members without a place in a block's output share one buffer, side by side.
      const loose = group.filter((g) => !views.has(g.name));
      if (loose.length) {
        const [h, w] = shape.get(n.name)!;
        const total = loose.reduce((s, g) => s + shape.get(g.name)![2], 0);
        const buf = newBuffer(loose.map((g) => g.name).join('+'), h, w, total);
        let offset = 0;
        for (const g of loose) {
          const c = shape.get(g.name)![2];
          views.set(g.name, { buf, h, w, c, stride: total, offset });
          offset += c;
        }
      }
      continue;
    }
    if (group) continue;
    const s = shape.get(n.name)!;
    views.set(n.name, whole(newBuffer(n.kind === 'input' ? 'input' : n.name, ...s), s));
  }

  const weights: WeightSet[] = [];
  const forward: ForwardOp[] = [];
  const convOps = new Map<string, ConvOp>();
  const poolOps = new Map<string, PoolOp>();
  for (const n of nodes) {
    if (n.kind === 'conv') {
      const group = groupOf.get(n.name) ?? [n];
      if (group[0] !== n) continue;
      const [h, w] = shape.get(n.input)!;
      const [oh, ow] = shape.get(n.name)!;
      const [kh, kw] = [n.filter.shape[0], n.filter.shape[1]];
      weights.push({ names: group.map((g) => g.name) });
      const op: ConvOp = {
        kind: 'conv',
        names: group.map((g) => g.name),
        input: views.get(n.input)!,
        rolled: byName.get(n.input)!.kind === 'input',
        segments: group.map((g) => ({ view: views.get(g.name)! })),
        co: group.reduce((s, g) => s + g.filter.shape[3], 0),
        kh,
        kw,
        stride: n.strides,
        pad: [padBefore(h, oh, kh, n.strides[0], n.padding), padBefore(w, ow, kw, n.strides[1], n.padding)],
        relu: n.relu,
        weights: weights.length - 1,
      };
      forward.push(op);
      for (const g of group) convOps.set(g.name, op);
    } else if (n.kind === 'maxPool' || n.kind === 'avgPool') {
      const p = n as PoolNode;
      const [h, w] = shape.get(p.input)!;
      const out = shape.get(p.name)!;
      const op: PoolOp = {
        kind: p.kind,
        name: p.name,
        input: views.get(p.input)!,
        output: views.get(p.name)!,
        size: p.size,
        stride: p.strides,
        pad: [padBefore(h, out[0], p.size[0], p.strides[0], p.padding), padBefore(w, out[1], p.size[1], p.strides[1], p.padding)],
        argmax: p.kind === 'maxPool' ? newBuffer(`${p.name} argmax`, ...out, 'argmax') : -1,
      };
      forward.push(op);
      poolOps.set(p.name, op);
    }
  }

  const layers = targets.map((t) => ({ name: t, view: views.get(t)! }));
  // Gradient writes in the order they run, with which regions each one reaches.
  type Write = { view: View; emit: (mode: WriteMode) => BackwardOp };
  const writes: Write[] = [];
  layers.forEach((l, slot) => writes.push({ view: l.view, emit: (mode) => ({ kind: 'seed', layer: l.name, slot, view: l.view, mode }) }));
  const done = new Set<ConvOp>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.kind === 'conv') {
      const op = convOps.get(n.name)!;
      // A merged convolution runs backward once every member's consumers have: at its first member in graph order.
      if (done.has(op) || op.names.some((m) => order.get(m)! < i)) continue;
      done.add(op);
      const dx = views.get(n.input)!;
      writes.push({ view: dx, emit: (mode) => ({ kind: 'convBack', op, dx, mode }) });
    } else if (n.kind === 'maxPool' || n.kind === 'avgPool') {
      const op = poolOps.get(n.name)!;
      const dx = views.get(n.input)!;
      writes.push({ view: dx, emit: (mode) => ({ kind: 'poolBack', op, dx, mode }) });
    }
  }
  const { modes, clears } = writeModes(writes.map((w) => w.view));
  return {
    input: views.get(nodes.find((n) => n.kind === 'input')!.name)!,
    buffers,
    forward,
    backward: writes.map((w, i) => w.emit(modes[i]!)),
    weights,
    clears,
    layers,
  };
}

/**
 * Store or add, per write: each buffer keeps the channel ranges already written. A write over fresh channels
 * stores, over written ones adds; one that straddles both makes its buffer zeroed each frame (then every write adds).
 */
function writeModes(views: View[]): { modes: WriteMode[]; clears: number[] } {
  const clears = new Set<number>();
  for (;;) {
    const written = new Map<number, Array<[number, number]>>();
    const modes: WriteMode[] = [];
    let straddle = -1;
    for (const v of views) {
      if (clears.has(v.buf)) {
        modes.push('add');
        continue;
      }
      const ranges = written.get(v.buf) ?? [];
      const [a, b] = [v.offset, v.offset + v.c];
      const covered = ranges.reduce((s, [x, y]) => s + Math.max(0, Math.min(b, y) - Math.max(a, x)), 0);
      if (covered === 0) {
        modes.push('store');
        written.set(v.buf, [...ranges, [a, b]]);
      } else if (covered === b - a) modes.push('add');
      else {
        straddle = v.buf;
        break;
      }
    }
    if (straddle < 0) return { modes, clears: [...clears] };
    clears.add(straddle);
  }
}
