import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { GpuPlan } from './gpu-plan';
import { extensionOn, type ExtensionEntry } from './extension-cache';
import { flushPlan, plannerFor, type DreamPlanner } from './planner';
import { recordStepPath } from './step-path';
import { StyleTerms, type StyleTermsSpec } from './style-terms';
import { bufferOf, emptyTensor, openEncoder, runPlanOp } from './tfjs-webgpu';
import { MAX_PLAN_LAYERS, type PlanKey } from './types';

/**
 * Style transfer's loss at one view: the layers and their weights, the targets (the stage's, borrowed) and the
 * loss's weights (α content, β style, tv).
 */
export interface StyleLossInput {
  contentLayer: string;
  styleLayers: ReadonlyArray<{ name: string; weight: number }>;
  contentTarget: tf.Tensor4D;
  grams: readonly tf.Tensor2D[];
  weights: { content: number; style: number; tv: number };
}

/**
 * The loss: the total to differentiate, and the figures [L, content, Σ w·style, tv] to report (the parts unweighted;
 * no gradient flows through them).
 */
export interface StyleLoss {
  total: tf.Scalar;
  parts: tf.Tensor1D;
}

/** The loss's kernels for `spec` on `plan`, per arrangement of its layers (content and style roles). */
function termsEntry(planner: DreamPlanner, plan: GpuPlan, layers: string[], spec: StyleTermsSpec): ExtensionEntry<StyleTerms> {
  const id = `terms|${spec.contentLayer}|${spec.styleLayers.join(',')}|${spec.picture.join('x')}`;
  return extensionOn(plan, id, 'style terms', () => StyleTerms.build(planner.backend.device, plan, layers, spec, tf.env().getNumber('DREAMSTREAM_PLAN_WORKGROUPS')));
}

type Layers = Pick<StyleLossInput, 'contentLayer' | 'styleLayers'>;

const specOf = (input: Layers, picture: [number, number]): { spec: StyleTermsSpec; layers: string[] } => {
  const spec: StyleTermsSpec = { contentLayer: input.contentLayer, styleLayers: input.styleLayers.map((l) => l.name), picture };
  return { spec, layers: [...new Set([spec.contentLayer, ...spec.styleLayers])] };
};

const keyOf = (layers: string[], height: number, width: number): PlanKey => ({ layers, channel: -1, objective: 'l2', normalise: 'std', height, width });

/**
 * Builds the plan and the loss for these layers at a view of `view` [h, w] and a picture of `picture` [h, w], and
 * resolves once both are built: the loss's kernels, or why they cannot be. For tests and benchmarks; a session
 * simply asks each iteration.
 */
export async function readyStyleLoss(runner: ModelRunner, view: [number, number], picture: [number, number], input: Layers): Promise<StyleTerms | string> {
  const planner = plannerFor(runner);
  if (!planner) return 'no plans on this backend';
  const { spec, layers } = specOf(input, picture);
  const key = keyOf(layers, ...view);
  const plan = await planner.ready(key);
  if (!plan) return planner.failure(key) ?? 'no plan';
  const entry = termsEntry(planner, plan, layers, spec);
  return (await entry.building) ?? entry.failed ?? 'no terms';
}

/** A style iteration's plan and loss kernels, once both are built for these sizes and targets. */
export interface StyleTermsOn {
  planner: DreamPlanner;
  plan: GpuPlan;
  terms: StyleTerms;
  /** The plan's layers, in key order. */
  layers: string[];
}

/**
 * The plan and loss kernels for a picture of `picture` [h, w] seen as a view of `view` [h, w], asked for (and so
 * built from the first ask on); null where the backend has no plans, they are not built yet, or cannot be.
 */
export function styleTermsAt(runner: ModelRunner, picture: [number, number], view: [number, number], input: StyleLossInput): StyleTermsOn | null {
  const planner = plannerFor(runner);
  if (!planner) return null;
  const { spec, layers } = specOf(input, picture);
  if (layers.length > MAX_PLAN_LAYERS) return null;
  const plan = planner.plan(keyOf(layers, ...view));
  if (!plan || !plan.networkReady) return null;
  const terms = termsEntry(planner, plan, layers, spec).built;
  if (!terms || !terms.fits(input.contentTarget.size * 4, input.grams.map((g) => g.size * 4), picture[0] * picture[1] * 3 * 4)) return null;
  return { planner, plan, terms, layers };
}

/** The frame's weights for a style iteration: each plan layer's style weight (0: content only), and α, β, tv. */
export function styleFrame(input: StyleLossInput, layers: readonly string[]): { weights: number[]; loss: [number, number, number] } {
  return {
    weights: layers.map((name) => input.styleLayers.find((l) => l.name === name)?.weight ?? 0),
    loss: [input.weights.content, input.weights.style, input.weights.tv],
  };
}

/**
 * Style transfer's loss (objectives/style.ts's styleLoss) as one differentiable op on a recorded plan: of the view
 * `view` the network sees, the content and Gram terms; of the picture `x`, the total variation. The network's
 * forward pass, the terms and the losses are recorded together; on the gradient, the seeds and the network's
 * backward pass give the view's, and the total variation's kernel the picture's. Nothing is made per iteration.
 * null where the backend has no plans, or the plan or its loss kernels are not built yet (tfjs runs the loss).
 */
export function plannedStyleLoss(runner: ModelRunner, x: tf.Tensor4D, view: tf.Tensor4D, input: StyleLossInput): StyleLoss | null {
  if (view.shape[0] !== 1 || x.shape[0] !== 1) return null;
  const on = styleTermsAt(runner, [x.shape[1], x.shape[2]], [view.shape[1], view.shape[2]], input);
  if (!on) return null;
  const { planner, plan, terms } = on;
  recordStepPath({ path: 'style-loss' });

  const b = planner.backend;
  const { weights, loss } = styleFrame(input, on.layers);
  let generation = 0;
  const forward = (picture: tf.Tensor4D, seen: tf.Tensor4D, outputs: [tf.Tensor, tf.Tensor] | null) => {
    const src = bufferOf(b, seen);
    const pic = bufferOf(b, picture);
    const into = outputs ? { total: bufferOf(b, outputs[0]), parts: bufferOf(b, outputs[1]) } : null;
    const targets = { content: bufferOf(b, input.contentTarget), grams: input.grams.map((g) => bufferOf(b, g)) };
    flushPlan(b, plan);
    plan.writeFrame({ dy: 0, dx: 0, stepSize: 0, weights, loss });
    const encoder = openEncoder(b);
    plan.encodeForward(encoder, src, []);
    terms.encodeForward(encoder, targets, pic, into);
    generation = plan.generation;
  };
  // The loss's gradient is copied in once per backward pass, by whichever input's gradient tfjs asks for first.
  let seeded = -1;
  const seed = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [dyTotal] = Array.isArray(dy) ? dy : [dy];
    // Another forward pass of this plan ran in between (its activations are the plan's now): run ours again.
    if (plan.generation !== generation) forward(saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D, null);
    if (seeded === generation) return;
    const total = dyTotal ? bufferOf(b, dyTotal) : null;
    terms.encodeLossGradients(openEncoder(b), total, null);
    seeded = generation;
  };
  // The figures are written beside the op, not as its output: an output nobody differentiates would get a zeros
  // tensor from tfjs on the way back, uploaded through a new buffer each iteration.
  const parts = emptyTensor<tf.Rank.R1>(b, [4]);
  const out = runPlanOp({
    inputs: { x, view },
    forwardFunc: (_backend, save) => {
      const total = emptyTensor<tf.Rank.R0>(b, []);
      forward(x, view, [total, parts]);
      save([x, view]);
      return [total];
    },
    backwardsFunc: (dy, saved) => ({
      x: () => {
        seed(dy, saved);
        const dx = emptyTensor<tf.Rank.R4>(b, x.shape);
        const dst = bufferOf(b, dx);
        terms.encodeTvGradient(openEncoder(b), dst);
        return dx;
      },
      view: () => {
        seed(dy, saved);
        const dv = emptyTensor<tf.Rank.R4>(b, view.shape);
        const dst = bufferOf(b, dv);
        plan.encodeBackward(openEncoder(b), (encoder) => terms.encodeSeeds(encoder), dst);
        return dv;
      },
    }),
  });
  return { total: out[0] as tf.Scalar, parts };
}
