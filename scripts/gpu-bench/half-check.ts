/**
 * The f16 plan (engine/plan/precision.ts) against f32, on a WebGPU device with shader-f16: the same steps from the
 * same photo. The f32 side is the f32 plan on the same device (`--against plan`, for a GPU), or tfjs ops on
 * wasm (`--against wasm`: a CPU adapter compiles every pipeline slowly, so tests/engine/plan-f16.test.ts builds
 * only the f16 plan on lavapipe). Prints one JSON line: per step of the f32 trajectory, the f16 plan's step from
 * the same picture against it (the loss, the input gradient's cosine and relative difference, the step's relative
 * difference), and the f16 plan's device work in a steady step (dispatches, creations, writes, submits) and its
 * memory (beside the f32 plan's, against it), and the path the overlay names after a step as the app takes it.
 * `--precision f16-storage` checks the f16 plan with f32 products, as the app takes it with
 * DREAMSTREAM_PLAN_F16_PRODUCTS off (default: f16 products too).
 *   npx tsx scripts/gpu-bench/half-check.ts [size] [layers] [steps] [--against plan|wasm] [--precision f16|f16-storage]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs';
import { roll } from '../../src/engine/image/geometry';
import { ModelRunner } from '../../src/engine/model/runner';
import { dreamObjective } from '../../src/engine/objectives/dream';
import { normalisedAscent } from '../../src/engine/optimise/ascent';
import { dreamParams } from '../../src/engine/params/dream';
import { creations, DeviceCounter } from '../../src/engine/plan/device-counts';
import { planKeyFor } from '../../src/engine/plan/dream-plan-step';
import type { GpuPlan } from '../../src/engine/plan/gpu-plan';
import { plannerFor } from '../../src/engine/plan/planner';
import { stepPathLabel } from '../../src/engine/plan/step-path';
import { DreamSession } from '../../src/engine/sessions/dream-session';
import { SHADER_F16 } from '../../src/engine/plan/precision';
import type { HalfPrecision, PlanKey } from '../../src/engine/plan/types';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../../src/node/model-files';

const args = process.argv.slice(2);
const against = args.includes('--against') ? args.splice(args.indexOf('--against'), 2)[1] : 'plan';
if (against !== 'plan' && against !== 'wasm') throw new Error(`--against must be plan or wasm (got ${against})`);
const asked = args.includes('--precision') ? args.splice(args.indexOf('--precision'), 2)[1] : undefined;
if (asked !== undefined && asked !== 'f16' && asked !== 'f16-storage') throw new Error(`--precision must be f16 or f16-storage (got ${asked})`);
const size = Number(args[0] ?? 75);
const layers = (args[1] ?? 'mixed0').split(',');
const steps = Number(args[2] ?? 3);

await useNodeBackend('webgpu');
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
const errors: string[] = [];
device.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message.split('\n')[0]!));
const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const report: Record<string, unknown> = { adapter: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' '), shaderF16: device.features.has(SHADER_F16), size, layers, against };
if (!device.features.has(SHADER_F16)) {
  console.log(JSON.stringify(report));
  process.exit(0);
}

const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
const p = dreamParams({ layers: layers.map((name, i) => ({ name, weight: 1 - 0.3 * i })) });
const planner = plannerFor(runner)!;
// The app's step (below) takes the same plan as the check.
if (asked) tf.env().set('DREAMSTREAM_PLAN_F16_PRODUCTS', asked === 'f16');
const precision: HalfPrecision = planner.precision ?? 'f16';
report.precision = precision;
const found = planKeyFor(p, size, size);
if (typeof found === 'string') throw new Error(found);
/**
 * The start picture: the app's first sample photo, its centre square box-averaged to size², in the model's [-1, 1].
 * Decoded in JavaScript: the GPU machine has no sharp (scripts/gpu-bench/pack.sh ships only Dawn).
 */
function photo(): Float32Array {
  const { width, height, data } = jpeg.decode(readFileSync(join(PROJECT_ROOT, 'public/samples/chelsea.jpg')), { useTArray: true });
  const side = Math.min(width, height);
  const [top, left] = [(height - side) >> 1, (width - side) >> 1];
  const edge = (i: number) => Math.round((i * side) / size);
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let sy = top + edge(y); sy < top + Math.max(edge(y + 1), edge(y) + 1); sy++) {
        for (let sx = left + edge(x); sx < left + Math.max(edge(x + 1), edge(x) + 1); sx++) {
          for (let c = 0; c < 3; c++) sum[c]! += data[(sy * width + sx) * 4 + c]!;
          n++;
        }
      }
      for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = sum[c]! / n / 127.5 - 1;
    }
  }
  return out;
}
const pixels = photo();
const frame = (i: number) => ({ dy: (5 * i + 3) % size, dx: (7 * i + 1) % size, stepSize: p.stepSize, weights: p.layers.map((l) => l.weight) });

/** A trajectory of `steps` steps from the photo: each step's input, loss, input gradient and output. */
interface Run {
  inputs: Float32Array[];
  losses: number[];
  grads: Float32Array[];
  outputs: Float32Array[];
}

/** One step of `plan` from `input` (frame i's roll): its loss, input gradient (unscaled) and output. */
async function plannedStep(plan: GpuPlan, input: Float32Array, i: number): Promise<{ loss: number; grad: Float32Array; output: Float32Array }> {
  const image = tf.tensor4d(input, [1, size, size, 3]);
  const out = planner.step(plan, image, frame(i));
  const grad = planner.gradient(plan, [1, size, size, 3]);
  const r = { loss: (await out.loss.data())[0]!, grad: (await grad.data()) as Float32Array, output: (await out.image.data()) as Float32Array };
  tf.dispose([image, out.image, out.loss, grad]);
  return r;
}

async function planFor(key: PlanKey): Promise<GpuPlan> {
  const plan = await planner.ready(key);
  if (!plan) throw new Error(`no ${key.precision ?? 'f32'} plan: ${planner.failure(key)}`);
  return plan;
}

/** The f32 trajectory through the f32 plan. */
async function onPlan(plan: GpuPlan): Promise<Run> {
  const run: Run = { inputs: [], losses: [], grads: [], outputs: [] };
  let input: Float32Array = pixels;
  for (let i = 0; i < steps; i++) {
    const r = await plannedStep(plan, input, i);
    run.inputs.push(input);
    run.losses.push(r.loss);
    run.grads.push(r.grad);
    run.outputs.push(r.output);
    input = r.output;
  }
  return run;
}

/** The f32 trajectory on tfjs ops on wasm: no second plan to compile. */
async function onWasm(): Promise<Run> {
  await useNodeBackend('wasm');
  // Its own weights: tfjs-webgpu cannot hand tensors to another backend in Node.
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const run: Run = { inputs: [], losses: [], grads: [], outputs: [] };
  let input: Float32Array = pixels;
  for (let i = 0; i < steps; i++) {
    const { dy, dx } = frame(i);
    const image = tf.tensor4d(input, [1, size, size, 3]);
    const { value, grad, next } = tf.tidy(() => {
      const shifted = roll(image, dy, dx);
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => dreamObjective(runner.run(x as tf.Tensor4D, layers), p))(shifted);
      return { value, grad, next: roll(normalisedAscent(shifted, grad as tf.Tensor4D, p.stepSize, p.normalise), -dy, -dx) };
    });
    run.inputs.push(input);
    run.losses.push((await value.data())[0]!);
    run.grads.push((await grad.data()) as Float32Array);
    input = (await next.data()) as Float32Array;
    run.outputs.push(input);
    tf.dispose([value, grad, image, next]);
  }
  runner.dispose();
  await useNodeBackend('webgpu');
  return run;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const cos = (a: Float32Array, b: Float32Array) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const rel = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / dot(b, b));
const minus = (a: Float32Array, b: Float32Array) => a.map((v, i) => v - b[i]!);

// The f32 trajectory, then the f16 plan's step from each of its inputs: each step compared from the same picture.
// (Two trajectories left to run apart soon differ in detail whatever the cause: a dream's gradient turns with
// small changes of the picture. The contact sheet of scripts/f16-sheet.ts shows what that looks like.)
const f32 = against === 'plan' ? await onPlan(await planFor(found)) : await onWasm();
const half = await planFor({ ...found, precision });
const f16 = await Promise.all(f32.inputs.map((input, i) => plannedStep(half, input, i)));
report.loss = f32.losses.map((l, i) => ({ f32: l, f16: f16[i]!.loss, rel: Math.abs(f16[i]!.loss - l) / Math.abs(l) }));
report.gradient = f32.grads.map((g, i) => ({ cos: cos(f16[i]!.grad, g), rel: rel(f16[i]!.grad, g) }));
report.step = f32.outputs.map((o, i) => rel(minus(f16[i]!.output, f32.inputs[i]!), minus(o, f32.inputs[i]!)));
report.gradientScale = half.gradientScale;
report.dispatches = half.dispatches;
report.bytes = { f16: half.bytes, ...(against === 'plan' ? { f32: (await planFor(found)).bytes } : {}) };

// A steady f16 step, as a stream takes them (each step's picture the next one's input, the one before freed): what
// the device is asked to do. Counted once tfjs's buffer pool holds what a step's outputs take.
let image = tf.tensor4d(f32.outputs.at(-1)!, [1, size, size, 3]);
const counter = new DeviceCounter(device);
for (let i = 0; i < 3; i++) {
  counter.take();
  const out = planner.step(half, image, frame(steps + i));
  await out.loss.data();
  tf.dispose([image, out.loss]);
  image = out.image;
}
const counts = counter.take();
counter.restore();
// A step as the app takes it (DreamSession, its key from dreamPlanKey): the path the overlay then names.
const session = new DreamSession(runner, image, { ...p, octaves: 1 });
session.step().dispose();
await session.image.data();
report.path = stepPathLabel();
session.dispose();
image.dispose();
report.steadyStep = { ...counts, creations: creations(counts) };
report.errors = errors;
console.log(JSON.stringify(report));
process.exit(0);
