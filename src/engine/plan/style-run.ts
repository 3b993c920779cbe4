import * as tf from '@tensorflow/tfjs';
import type { ModelRunner } from '../model/runner';
import type { GpuPlan } from './gpu-plan';
import { PlanUnsupported } from './graph';
import { flushPlan, plannerFor, type DreamPlanner } from './planner';
import { recordStepPath } from './step-path';
import { StyleTerms, type StyleTermsSpec } from './style-terms';
import { bufferOf, emptyTensor, openEncoder } from './tfjs-webgpu';
import { MAX_PLAN_LAYERS, type PlanKey } from './types';

/** Style transfer's terms at one view: the layers, their weights and the targets (the stage's, borrowed). */
export interface StyleTermsInput {
  contentLayer: string;
  styleLayers: ReadonlyArray<{ name: string; weight: number }>;
  contentTarget: tf.Tensor4D;
  grams: readonly tf.Tensor2D[];
}

interface TermsEntry {
  terms: StyleTerms | null;
  /** Resolves once built (or failed: null). */
  building: Promise<StyleTerms | null>;
  failed?: string;
}

/** The terms built on each plan, per arrangement of its layers (content and style roles). */
const built = new WeakMap<GpuPlan, Map<string, TermsEntry>>();

/** The terms for `spec` on `plan`: built, being built (from the first ask on), or failed. */
function termsEntry(planner: DreamPlanner, plan: GpuPlan, layers: string[], spec: StyleTermsSpec): TermsEntry {
  let byRoles = built.get(plan);
  if (!byRoles) built.set(plan, (byRoles = new Map()));
  const id = `${spec.contentLayer}|${spec.styleLayers.join(',')}`;
  const known = byRoles.get(id);
  if (known) return known;
  const entry: TermsEntry = { terms: null, building: Promise.resolve(null) };
  entry.building = StyleTerms.build(planner.backend.device, plan, layers, spec, tf.env().getNumber('DREAMSTREAM_PLAN_WORKGROUPS')).then(
    (t) => (entry.terms = t),
    (err: unknown) => {
      entry.failed = err instanceof PlanUnsupported ? err.message : `style terms build failed: ${(err as Error).message}`;
      if (!(err instanceof PlanUnsupported)) console.warn(`dreamstream: ${entry.failed}`);
      return null;
    },
  );
  byRoles.set(id, entry);
  pending.add(entry.building);
  void entry.building.finally(() => pending.delete(entry.building));
  return entry;
}

/** Terms being built now. */
const pending = new Set<Promise<StyleTerms | null>>();

/** Once every style terms build under way has finished (built or failed). */
export async function styleTermsSettled(): Promise<void> {
  await Promise.all([...pending]);
}

const specOf = (input: Pick<StyleTermsInput, 'contentLayer' | 'styleLayers'>): { spec: StyleTermsSpec; layers: string[] } => {
  const spec: StyleTermsSpec = { contentLayer: input.contentLayer, styleLayers: input.styleLayers.map((l) => l.name) };
  return { spec, layers: [...new Set([spec.contentLayer, ...spec.styleLayers])] };
};

const keyOf = (layers: string[], height: number, width: number): PlanKey => ({ layers, channel: -1, objective: 'l2', normalise: 'std', height, width });

/**
 * Builds the plan and the terms for these layers at a view of height×width and resolves once both are built: the
 * terms, or why they cannot be. For tests and benchmarks; a session simply asks each iteration.
 */
export async function readyStyleTerms(
  runner: ModelRunner,
  height: number,
  width: number,
  input: Pick<StyleTermsInput, 'contentLayer' | 'styleLayers'>,
): Promise<StyleTerms | string> {
  const planner = plannerFor(runner);
  if (!planner) return 'no plans on this backend';
  const { spec, layers } = specOf(input);
  const key = keyOf(layers, height, width);
  const plan = await planner.ready(key);
  if (!plan) return planner.failure(key) ?? 'no plan';
  const entry = termsEntry(planner, plan, layers, spec);
  return (await entry.building) ?? entry.failed ?? 'no terms';
}

/**
 * The content loss and the weighted sum of the style layers' losses (objectives/style.ts) of `view`, as one
 * differentiable op on a recorded plan: the network's forward pass and the terms in one recording, and on the
 * gradient, every layer's gradient written by the terms' kernels and the network's backward pass. Nothing is made
 * per iteration. null where the backend has no plans or the plan or its terms are not built yet (tfjs runs them).
 */
export function plannedStyleTerms(runner: ModelRunner, view: tf.Tensor4D, input: StyleTermsInput): [tf.Scalar, tf.Scalar] | null {
  const planner = plannerFor(runner);
  if (!planner || view.shape[0] !== 1) return null;
  const { spec, layers } = specOf(input);
  if (layers.length > MAX_PLAN_LAYERS) return null;
  const plan = planner.plan(keyOf(layers, view.shape[1], view.shape[2]));
  if (!plan || !plan.networkReady) return null;
  const terms = termsEntry(planner, plan, layers, spec).terms;
  if (!terms || !terms.fits(input.contentTarget.size * 4, input.grams.map((g) => g.size * 4))) return null;
  recordStepPath({ path: 'style' });

  const b = planner.backend;
  // The frame's layer weights are the style layers' (the terms' kernels weigh each Gram loss by its slot's).
  const weights = layers.map((name) => input.styleLayers.find((l) => l.name === name)?.weight ?? 0);
  const targets = () => ({ content: bufferOf(b, input.contentTarget), grams: input.grams.map((g) => bufferOf(b, g)) });
  let generation = 0;
  const forward = (x: tf.Tensor4D, losses: [tf.Tensor, tf.Tensor] | null) => {
    const src = bufferOf(b, x);
    const into = losses ? ([bufferOf(b, losses[0]), bufferOf(b, losses[1])] as [GPUBuffer, GPUBuffer]) : null;
    const t = targets();
    flushPlan(b, plan);
    plan.writeFrame({ dy: 0, dx: 0, stepSize: 0, weights });
    const encoder = openEncoder(b);
    plan.encodeForward(encoder, src, []);
    terms.encodeForward(encoder, t, into);
    generation = plan.generation;
  };
  const engine = tf.engine() as unknown as {
    runKernelFunc(p: {
      forwardFunc: (backend: unknown, save: (t: tf.Tensor[]) => void) => tf.Tensor[];
      backwardsFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
      inputs: Record<string, tf.Tensor>;
    }): tf.Tensor[];
  };
  const out = engine.runKernelFunc({
    inputs: { x: view },
    forwardFunc: (_backend, save) => {
      const losses: [tf.Tensor, tf.Tensor] = [emptyTensor<tf.Rank.R0>(b, []), emptyTensor<tf.Rank.R0>(b, [])];
      forward(view, losses);
      save([view]);
      return losses;
    },
    backwardsFunc: (dy, saved) => ({
      x: () => {
        const dys = Array.isArray(dy) ? dy : [dy];
        // Another forward pass of this plan ran in between (its activations are the plan's now): run ours again.
        if (plan.generation !== generation) forward(saved[0] as tf.Tensor4D, null);
        const dx = emptyTensor<tf.Rank.R4>(b, view.shape);
        const seeds: [GPUBuffer | null, GPUBuffer | null] = [dys[0] ? bufferOf(b, dys[0]) : null, dys[1] ? bufferOf(b, dys[1]) : null];
        const dst = bufferOf(b, dx);
        plan.encodeBackward(openEncoder(b), (encoder) => terms.encodeSeeds(encoder, seeds), dst);
        return dx;
      },
    }),
  });
  return [out[0] as tf.Scalar, out[1] as tf.Scalar];
}
