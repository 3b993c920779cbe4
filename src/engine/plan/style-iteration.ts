import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import { adamScalars, type AdamAttrs } from '../optimise/kernels/adam-math';
import { extensionOn } from './extension-cache';
import { flushPlan, plannerFor } from './planner';
import { StyleBasis } from './style-basis';
import { styleFrame, styleTermsAt, type StyleLossInput } from './style-run';
import { bufferOf, emptyTensor, openEncoder } from './tfjs-webgpu';
import type { BasisShape } from './wgsl/basis';

/** One style iteration's state and what it aims at, as the session holds them. */
export interface StyleIterationInput extends StyleLossInput {
  /** The basis's parameters, one tensor per level ([1, h, w, 3]), full size first. */
  coefficients: readonly tf.Tensor[];
  /** Adam's moments per level ([2, n]: m then v); null before its first step. */
  moments: ReadonlyArray<tf.Tensor2D | null>;
  /** Whether the levels are a pyramid in decorrelated colour (else the pixels, one level). */
  colour: boolean;
  /** The view: its [h, w] and where its reflect padding puts the picture's first row and column. */
  view: { size: [number, number]; top: number; left: number };
  /** This step's Adam (the same for every level). */
  adam: AdamAttrs;
}

/** What an iteration on the plan returns; the caller owns every tensor. */
export interface StyleIterationResult {
  coefficients: tf.Tensor[];
  moments: tf.Tensor2D[];
  /** The new parameters decoded and clipped, at the picture's size. */
  image: tf.Tensor4D;
  /** [L, content, style, tv], as styleLoss gives them. */
  losses: tf.Tensor1D;
}

const shapeOf = (input: StyleIterationInput): BasisShape => ({
  levels: input.coefficients.map((c) => [c.shape[1]!, c.shape[2]!] as [number, number]),
  colour: input.colour,
  view: input.view.size,
  adam: { beta1: input.adam.beta1, beta2: input.adam.beta2, epsilon: input.adam.epsilon },
});

/**
 * A whole style iteration (the decode, the view, the network and the loss, their gradients, Adam, the new picture)
 * recorded on the plan: no tfjs kernel runs and nothing is made, one writeBuffer of the frame's scalars. The result,
 * or why tfjs ops run it (plans off here, a plan or its kernels still being built, or one that cannot be).
 */
export function plannedStyleIteration(runner: ModelRunner, input: StyleIterationInput): StyleIterationResult | string {
  const [first] = input.coefficients;
  if (!first || first.shape[0] !== 1) return 'a batch of pictures';
  const picture: [number, number] = [first.shape[1]!, first.shape[2]!];
  if (!plannerFor(runner)) return 'plans off';
  const on = styleTermsAt(runner, picture, input.view.size, input);
  if (!on) return 'plan building';
  const { planner, plan, terms } = on;
  const shape = shapeOf(input);
  const id = `basis|${JSON.stringify(shape)}`;
  const entry = extensionOn(plan, id, 'style basis', () => StyleBasis.build(planner.backend.device, plan, shape));
  if (!entry.built) return entry.failed ?? 'plan building';

  const b = planner.backend;
  const out: StyleIterationResult = {
    coefficients: input.coefficients.map((c) => emptyTensor(b, c.shape)),
    moments: input.coefficients.map((c) => emptyTensor<tf.Rank.R2>(b, [2, c.size])),
    image: emptyTensor<tf.Rank.R4>(b, [1, ...picture, 3]),
    losses: emptyTensor<tf.Rank.R1>(b, [4]),
  };
  const targets = { content: bufferOf(b, input.contentTarget), grams: input.grams.map((g) => bufferOf(b, g)) };
  const from = { coefficients: input.coefficients.map((c) => bufferOf(b, c)), moments: input.moments.map((m) => (m ? bufferOf(b, m) : null)) };
  const to = { coefficients: out.coefficients.map((c) => bufferOf(b, c)), moments: out.moments.map((m) => bufferOf(b, m)), image: bufferOf(b, out.image), losses: bufferOf(b, out.losses) };
  const s = adamScalars(input.adam);
  flushPlan(b, plan);
  plan.writeFrame({ dy: 0, dx: 0, stepSize: 0, ...styleFrame(input, on.layers), view: [input.view.top, input.view.left], adam: [s.lr, s.c1, s.c2] });
  entry.built.encode(openEncoder(b), plan, terms, targets, from, to);
  return out;
}
