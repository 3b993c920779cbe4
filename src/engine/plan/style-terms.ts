import { PlanUnsupported } from './graph';
import { pipelineFor, type GpuPlan } from './gpu-plan';
import type { Kernel, Resource } from './wgsl/kernel';
import { contentBackward, contentDiff, gramBackward, gramDiff, gramPartials, termsFinal, type TermLayer, type TermSum } from './wgsl/style-terms';

// GPUBufferUsage, spelled out (the WebGPU globals are not installed in Node).
const STORAGE = 0x80;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;

/** Which of a network plan's layers style transfer reads: the content layer and the style layers, by name. */
export interface StyleTermsSpec {
  contentLayer: string;
  styleLayers: readonly string[];
}

/** Where a style iteration's targets are this iteration: the content's activations and each style layer's Gram. */
export interface TermTargets {
  content: GPUBuffer;
  grams: GPUBuffer[];
}

interface Recorded {
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  grid: Kernel['grid'];
}

/**
 * Style transfer's loss terms built onto a network plan (./wgsl/style-terms.ts): after the plan's forward pass, the
 * Gram differences and the losses; before its backward pass, every layer's gradient. Buffers, pipelines and bind
 * groups are made once; an iteration copies the targets in and records dispatches, nothing else. The plan owns it
 * (destroyed with it).
 */
export class StyleTerms {
  private destroyed = false;

  private constructor(
    private readonly forward: Recorded[],
    private readonly seeds: Recorded[],
    private readonly buffers: Map<string, GPUBuffer>,
    private readonly owned: GPUBuffer[],
    /** Bytes of the content target, and each style layer's Gram target: its buffer's name and bytes. */
    private readonly contentBytes: number,
    private readonly grams: Array<{ name: string; bytes: number }>,
  ) {}

  get dispatches(): number {
    return this.forward.length + this.seeds.length;
  }

  static async build(device: GPUDevice, plan: GpuPlan, layers: readonly string[], spec: StyleTermsSpec, wanted?: number): Promise<StyleTerms> {
    if (!plan.networkReady) throw new PlanUnsupported('the network plan cannot return these layers');
    if (new Set(spec.styleLayers).size !== spec.styleLayers.length) throw new PlanUnsupported('a style layer named twice');
    const term = (name: string): TermLayer => {
      const slot = layers.indexOf(name);
      if (slot < 0) throw new PlanUnsupported(`${name} is not among the plan's layers`);
      const [h, w, c] = plan.layerShapes[slot]!;
      return { slot, n: h * w, c };
    };
    const content = term(spec.contentLayer);
    const styles = spec.styleLayers.map(term);
    const forward: Kernel[] = [];
    const seeds: Kernel[] = [];
    const sums: TermSum[] = [];
    let partials = 0;
    let gramPartialFloats = 0;
    const cd = contentDiff(content, partials);
    forward.push(cd.kernel);
    sums.push({ first: partials, count: cd.partials, divisor: content.n * content.c, slot: null });
    partials += cd.partials;
    for (const l of styles) {
      const g = gramPartials(l, wanted);
      const d = gramDiff(l, g.splits, partials);
      forward.push(g.kernel, d.kernel);
      sums.push({ first: partials, count: d.partials, divisor: l.c * l.c, slot: l.slot });
      partials += d.partials;
      gramPartialFloats = Math.max(gramPartialFloats, g.splits * l.c * l.c);
    }
    forward.push(termsFinal(sums));
    // Every layer's gradient is stored by its first term and added to by the others (a layer may be both).
    const written = new Set<number>([content.slot]);
    seeds.push(contentBackward(content, 'store'));
    for (const l of styles) {
      seeds.push(gramBackward(l, written.has(l.slot) ? 'add' : 'store', wanted));
      written.add(l.slot);
    }
    if (written.size !== layers.length) throw new PlanUnsupported('a plan layer that no term reads');

    const [fwdPipes, seedPipes] = await Promise.all([Promise.all(forward.map((k) => pipelineFor(device, k))), Promise.all(seeds.map((k) => pipelineFor(device, k)))]);
    const limit = device.limits.maxStorageBufferBindingSize;
    const owned: GPUBuffer[] = [];
    const buffers = new Map<string, GPUBuffer>();
    const make = (name: string, floats: number) => {
      const size = Math.max(16, Math.ceil((floats * 4) / 16) * 16);
      if (size > limit) throw new PlanUnsupported(`${name} needs ${size} bytes, over the device's ${limit}`);
      const b = device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST, label: name });
      owned.push(b);
      buffers.set(name, b);
    };
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let made: StyleTerms | null = null;
    try {
      make('gram partials', gramPartialFloats);
      make('loss partials', partials);
      make('losses', 2);
      make('dys', 2);
      make('content target', content.n * content.c);
      for (const l of styles) {
        make(`gram target${l.slot}`, l.c * l.c);
        make(`diff${l.slot}`, l.c * l.c);
      }
      layers.forEach((_, slot) => {
        const { act, grad } = plan.layerBuffers(slot);
        buffers.set(`act${slot}`, act);
        buffers.set(`grad${slot}`, grad);
      });
      const resolve = (r: Resource): GPUBuffer => {
        if (r.type === 'frame') return plan.frameUniform;
        const b = r.type === 'own' ? buffers.get(r.name) : undefined;
        if (!b) throw new Error(`style terms: no buffer for ${JSON.stringify(r)}`);
        return b;
      };
      const record = (k: Kernel, pipeline: GPUComputePipeline): Recorded => ({
        pipeline,
        grid: k.grid,
        group: device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: k.resources.map((r, binding) => ({ binding, resource: { buffer: resolve(r) } })),
          label: k.label,
        }),
      });
      made = new StyleTerms(
        forward.map((k, i) => record(k, fwdPipes[i]!)),
        seeds.map((k, i) => record(k, seedPipes[i]!)),
        buffers,
        owned,
        content.n * content.c * 4,
        styles.map((l) => ({ name: `gram target${l.slot}`, bytes: l.c * l.c * 4 })),
      );
    } finally {
      const invalid = device.popErrorScope();
      const memory = device.popErrorScope();
      const error = (await invalid) ?? (await memory);
      if (error || !made) {
        for (const b of owned) b.destroy();
        if (error) throw new PlanUnsupported(`the device refused the style terms: ${error.message}`);
      }
    }
    plan.attach(made!);
    return made!;
  }

  /**
   * After the plan's forward pass: the targets copied in, the differences and the losses; the content loss and
   * Σ w·style loss (one float each) copied to `losses` (none: a forward pass run again for the gradient).
   */
  encodeForward(encoder: GPUCommandEncoder, targets: TermTargets, losses: [GPUBuffer, GPUBuffer] | null): void {
    this.check();
    encoder.copyBufferToBuffer(targets.content, 0, this.buffer('content target'), 0, this.contentBytes);
    this.grams.forEach((g, i) => encoder.copyBufferToBuffer(targets.grams[i]!, 0, this.buffer(g.name), 0, g.bytes));
    this.run(encoder, this.forward);
    losses?.forEach((dst, i) => encoder.copyBufferToBuffer(this.buffer('losses'), i * 4, dst, 0, 4));
  }

  /** Whether targets of these sizes (bytes) are the ones the terms were built for. */
  fits(contentBytes: number, gramBytes: number[]): boolean {
    return contentBytes === this.contentBytes && gramBytes.length === this.grams.length && gramBytes.every((b, i) => b === this.grams[i]!.bytes);
  }

  /** Every layer's gradient from the losses' gradients `dys` ([content, style], one float each; null: zero). */
  encodeSeeds(encoder: GPUCommandEncoder, dys: [GPUBuffer | null, GPUBuffer | null]): void {
    this.check();
    dys.forEach((dy, i) => {
      if (dy) encoder.copyBufferToBuffer(dy, 0, this.buffer('dys'), i * 4, 4);
      else encoder.clearBuffer(this.buffer('dys'), i * 4, 4);
    });
    this.run(encoder, this.seeds);
  }

  private run(encoder: GPUCommandEncoder, list: Recorded[]): void {
    const pass = encoder.beginComputePass();
    for (const r of list) {
      pass.setPipeline(r.pipeline);
      pass.setBindGroup(0, r.group);
      pass.dispatchWorkgroups(r.grid[0], r.grid[1], r.grid[2] ?? 1);
    }
    pass.end();
  }

  private buffer(name: string): GPUBuffer {
    return this.buffers.get(name)!;
  }

  private check(): void {
    if (this.destroyed) throw new Error('style terms used after their plan was destroyed');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
  }
}
