/**
 * The f16 plan against the f32 plan on one device with shader-f16 (engine/plan/precision.ts): the same steps from
 * the same picture. Prints one JSON line: per step the loss of each and their relative difference, the input
 * gradients' cosine and relative difference, the pictures' after the steps, and the f16 plan's device work in a
 * steady step (dispatches, creations, writes, submits) and memory. tests/engine/plan-f16.test.ts runs it on Mesa's
 * lavapipe; scripts/gpu-bench/device-run.sh on a GPU.
 *   npx tsx scripts/gpu-bench/half-check.ts [size] [layers] [steps]
 */
import * as tf from '@tensorflow/tfjs';
import { ModelRunner } from '../../src/engine/model/runner';
import { creations, DeviceCounter } from '../../src/engine/plan/device-counts';
import { planKeyFor } from '../../src/engine/plan/dream-plan-step';
import type { GpuPlan } from '../../src/engine/plan/gpu-plan';
import { plannerFor } from '../../src/engine/plan/planner';
import { SHADER_F16 } from '../../src/engine/plan/precision';
import type { PlanKey } from '../../src/engine/plan/types';
import { dreamParams } from '../../src/engine/params/dream';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';

const size = Number(process.argv[2] ?? 75);
const layers = (process.argv[3] ?? 'mixed0').split(',');
const steps = Number(process.argv[4] ?? 3);

await useNodeBackend('webgpu');
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
const errors: string[] = [];
device.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message.split('\n')[0]!));
const adapter = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const report: Record<string, unknown> = { adapter: [adapter?.vendor, adapter?.architecture, adapter?.description].filter(Boolean).join(' '), shaderF16: device.features.has(SHADER_F16), size, layers };
if (!device.features.has(SHADER_F16)) {
  console.log(JSON.stringify(report));
  process.exit(0);
}

const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
const p = dreamParams({ layers: layers.map((name, i) => ({ name, weight: 1 - 0.3 * i })) });
const planner = plannerFor(runner)!;
const found = planKeyFor(p, size, size);
if (typeof found === 'string') throw new Error(found);
const start = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
const frame = (i: number) => ({ dy: (5 * i + 3) % size, dx: (7 * i + 1) % size, stepSize: p.stepSize, weights: p.layers.map((l) => l.weight) });

/** `steps` steps of `key`'s plan from the start picture: each step's loss and input gradient, the last picture. */
async function run(key: PlanKey): Promise<{ plan: GpuPlan; losses: number[]; grads: tf.Tensor[]; image: tf.Tensor4D }> {
  const plan = await planner.ready(key);
  if (!plan) throw new Error(`no ${key.precision ?? 'f32'} plan: ${planner.failure(key)}`);
  let image = start.clone();
  const losses: number[] = [];
  const grads: tf.Tensor[] = [];
  for (let i = 0; i < steps; i++) {
    const out = planner.step(plan, image, frame(i));
    grads.push(planner.gradient(plan, [1, size, size, 3]));
    losses.push((await out.loss.data())[0]!);
    out.loss.dispose();
    image.dispose();
    image = out.image;
  }
  return { plan, losses, grads, image };
}

const f32 = await run(found);
const f16 = await run({ ...found, precision: 'f16' });
const rel = async (a: tf.Tensor, b: tf.Tensor) => (await tf.tidy(() => a.sub(b).norm().div(b.norm())).data())[0]!;
const cos = async (a: tf.Tensor, b: tf.Tensor) => (await tf.tidy(() => a.mul(b).sum().div(a.norm().mul(b.norm()))).data())[0]!;
report.loss = f32.losses.map((l, i) => ({ f32: l, f16: f16.losses[i], rel: Math.abs(f16.losses[i]! - l) / Math.abs(l) }));
report.gradient = await Promise.all(f32.grads.map(async (g, i) => ({ cos: await cos(f16.grads[i]!, g), rel: await rel(f16.grads[i]!, g) })));
report.pictureChange = await rel(f16.image.sub(start), f32.image.sub(start));
report.gradientScale = f16.plan.gradientScale;
report.bytes = { f32: f32.plan.bytes, f16: f16.plan.bytes };

// A steady f16 step: what the device is asked to do.
const counter = new DeviceCounter(device);
const out = planner.step(f16.plan, f16.image, frame(steps));
await out.loss.data();
report.steadyStep = { ...counter.take(), creations: 0 };
(report.steadyStep as { creations: number }).creations = creations(report.steadyStep as never);
counter.restore();
tf.dispose([out.image, out.loss, f32.image, f16.image, ...f32.grads, ...f16.grads]);
report.dispatches = f16.plan.dispatches;
report.errors = errors;
console.log(JSON.stringify(report));
process.exit(0);
