import { PlanUnsupported } from './graph';
import { bindKernel, checkGrids, madeInErrorScopes, OwnedBuffers, recordPass, type Recorded } from './gpu-objects';
import { pipelineFor, type GpuPlan } from './gpu-plan';
import type { Kernel, Resource } from './wgsl/kernel';
import { contentBackward, contentDiff, gramBackward, gramDiff, gramPartials, termsFinal, tvGradient, tvPartials, type TermLayer, type TermSum } from './wgsl/style-terms';

/**
 * Which of a network plan's layers style transfer reads (the content layer and the style layers, by name), and the
 * picture's [h, w] (its total variation: the view the network sees is the picture padded).
 */
export interface StyleTermsSpec {
  contentLayer: string;
  styleLayers: readonly string[];
  picture: [number, number];
}

/** Where the loss goes: the total (one float) and the figures [L, content, style, tv] (four). */
export interface LossOutputs {
  total: GPUBuffer;
  parts: GPUBuffer;
}

/** Where a style iteration's targets are this iteration: the content's activations and each style layer's Gram. */
export interface TermTargets {
  content: GPUBuffer;
  grams: GPUBuffer[];
}

/**
 * The loss's kernels for these layers ([h, w, c] each, in the plan's order) and picture: after the forward pass the
 * content and Gram differences, the total variation and the losses; the seeds (every layer's gradient); the total
 * variation's gradient. Pure: the dispatch budget is checked from it without a device.
 */
export function termsKernels(layerShapes: ReadonlyArray<[number, number, number]>, layers: readonly string[], spec: StyleTermsSpec, wanted?: number) {
  if (new Set(spec.styleLayers).size !== spec.styleLayers.length) throw new PlanUnsupported('a style layer named twice');
  const term = (name: string): TermLayer => {
    const slot = layers.indexOf(name);
    if (slot < 0) throw new PlanUnsupported(`${name} is not among the plan's layers`);
    const [h, w, c] = layerShapes[slot]!;
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
  sums.push({ first: partials, count: cd.partials, divisor: content.n * content.c, into: 'content' });
  partials += cd.partials;
  const [ph, pw] = spec.picture;
  const tv = tvPartials(ph, pw, partials);
  forward.push(tv.kernel);
  sums.push({ first: partials, count: tv.partials, divisor: 1, into: 'tv' });
  partials += tv.partials;
  for (const l of styles) {
    const g = gramPartials(l, wanted);
    const d = gramDiff(l, g.splits, partials);
    forward.push(g.kernel, d.kernel);
    sums.push({ first: partials, count: d.partials, divisor: l.c * l.c, into: 'style', slot: l.slot });
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
  return { forward, seeds, tvBack: [tvGradient(ph, pw)], content, styles, partials, gramPartialFloats };
}

/**
 * Style transfer's loss built onto a network plan (./wgsl/style-terms.ts): after the plan's forward pass, the Gram
 * differences, the total variation and the losses; before its backward pass, every layer's gradient; and the total
 * variation's gradient at the picture. Buffers, pipelines and bind groups are made once; an iteration copies the
 * targets and the picture in and records dispatches, nothing else. The plan owns it (destroyed with it).
 */
export class StyleTerms {
  private destroyed = false;

  private constructor(
    private readonly forward: Recorded[],
    private readonly seeds: Recorded[],
    private readonly tvBackward: Recorded[],
    /** Bytes of the picture, [h, w, 3]. */
    private readonly pictureBytes: number,
    private readonly buffers: Map<string, GPUBuffer>,
    private readonly owned: OwnedBuffers,
    /** Bytes of the content target, and each style layer's Gram target: its buffer's name and bytes. */
    private readonly contentBytes: number,
    private readonly grams: Array<{ name: string; bytes: number }>,
  ) {}

  /** GPU memory of its own buffers. */
  get bytes(): number {
    return this.owned.bytes;
  }

  get dispatches(): number {
    return this.forward.length + this.seeds.length + this.tvBackward.length;
  }

  static async build(device: GPUDevice, plan: GpuPlan, layers: readonly string[], spec: StyleTermsSpec, wanted?: number): Promise<StyleTerms> {
    if (!plan.networkReady) throw new PlanUnsupported('the network plan cannot return these layers');
    const { forward, seeds, tvBack, content, styles, partials, gramPartialFloats } = termsKernels(plan.layerShapes, layers, spec, wanted);
    const [ph, pw] = spec.picture;
    checkGrids(device, [...forward, ...seeds, ...tvBack]);
    const compile = (list: Kernel[]) => Promise.all(list.map((k) => pipelineFor(device, k)));
    const [fwdPipes, seedPipes, tvPipes] = await Promise.all([compile(forward), compile(seeds), compile(tvBack)]);
    const owned = new OwnedBuffers(device);
    const buffers = new Map<string, GPUBuffer>();
    const make = (name: string, floats: number) => buffers.set(name, owned.make(floats, name));
    const made = await madeInErrorScopes(device, 'the style terms', owned, () => {
      make('gram partials', gramPartialFloats);
      make('loss partials', partials);
      make('losses', 4);
      make('dys', 5);
      make('picture', ph * pw * 3);
      make('picture gradient', ph * pw * 3);
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
      const record = (k: Kernel, pipeline: GPUComputePipeline) => bindKernel(device, k, pipeline, resolve);
      return new StyleTerms(
        forward.map((k, i) => record(k, fwdPipes[i]!)),
        seeds.map((k, i) => record(k, seedPipes[i]!)),
        tvBack.map((k, i) => record(k, tvPipes[i]!)),
        ph * pw * 3 * 4,
        buffers,
        owned,
        content.n * content.c * 4,
        styles.map((l) => ({ name: `gram target${l.slot}`, bytes: l.c * l.c * 4 })),
      );
    });
    plan.attach(made);
    return made;
  }

  /**
   * After the plan's forward pass: the targets and the picture (`picture`, [h, w, 3]) copied in, the differences, the
   * total variation and the losses, copied to `outputs` (none: a forward pass run again for the gradient).
   */
  encodeForward(encoder: GPUCommandEncoder, targets: TermTargets, picture: GPUBuffer, outputs: LossOutputs | null): void {
    this.check();
    encoder.copyBufferToBuffer(targets.content, 0, this.buffer('content target'), 0, this.contentBytes);
    this.grams.forEach((g, i) => encoder.copyBufferToBuffer(targets.grams[i]!, 0, this.buffer(g.name), 0, g.bytes));
    encoder.copyBufferToBuffer(picture, 0, this.buffer('picture'), 0, this.pictureBytes);
    recordPass(encoder, this.forward);
    if (!outputs) return;
    encoder.copyBufferToBuffer(this.buffer('losses'), 0, outputs.total, 0, 4);
    encoder.copyBufferToBuffer(this.buffer('losses'), 0, outputs.parts, 0, 16);
  }

  /** Whether targets and a picture of these sizes (bytes) are the ones the terms were built for. */
  fits(contentBytes: number, gramBytes: number[], pictureBytes: number): boolean {
    return (
      contentBytes === this.contentBytes &&
      pictureBytes === this.pictureBytes &&
      gramBytes.length === this.grams.length &&
      gramBytes.every((b, i) => b === this.grams[i]!.bytes)
    );
  }

  /**
   * The loss's gradients, copied in: `total` (one float) and `parts` (four: [L, content, style, tv]); null: zero.
   * The seeds and the total variation's gradient read them.
   */
  encodeLossGradients(encoder: GPUCommandEncoder, total: GPUBuffer | null, parts: GPUBuffer | null): void {
    this.check();
    const dys = this.buffer('dys');
    if (total) encoder.copyBufferToBuffer(total, 0, dys, 0, 4);
    else encoder.clearBuffer(dys, 0, 4);
    if (parts) encoder.copyBufferToBuffer(parts, 0, dys, 4, 16);
    else encoder.clearBuffer(dys, 4, 16);
  }

  /** Every layer's gradient (after encodeLossGradients). */
  encodeSeeds(encoder: GPUCommandEncoder): void {
    this.check();
    recordPass(encoder, this.seeds);
  }

  /** The total variation's gradient at the picture (after encodeLossGradients), into `dst` ([h, w, 3]). */
  encodeTvGradient(encoder: GPUCommandEncoder, dst: GPUBuffer): void {
    this.check();
    recordPass(encoder, this.tvBackward);
    encoder.copyBufferToBuffer(this.buffer('picture gradient'), 0, dst, 0, this.pictureBytes);
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
    this.owned.destroy();
  }
}
