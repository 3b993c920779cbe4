import * as tf from '@tensorflow/tfjs';
import { ModelRunner } from '../../src/engine/model/runner';
import { plannerFor } from '../../src/engine/plan/planner';
import { planKeyFor } from '../../src/engine/plan/dream-plan-step';
import { dreamParams } from '../../src/engine/params/dream';
import { dreamObjective } from '../../src/engine/objectives/dream';
import { roll } from '../../src/engine/image/geometry';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';

await useNodeBackend('webgpu');
const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
const size = Number(process.argv[2] ?? 99);
const layers = (process.argv[3] ?? 'mixed3').split(',');
const channel = Number(process.argv[4] ?? -1);
const p = dreamParams({ layers: layers.map((name, i) => ({ name, weight: 1 - 0.3 * i })), channel });
const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
const planner = plannerFor(runner)!;
const key = planKeyFor(p, size, size);
if (typeof key === 'string') throw new Error(key);
let t = performance.now();
const plan = await planner.ready(key);
console.log('build ms', performance.now() - t, 'failure', planner.failure(key), 'dispatches', plan?.dispatches);
if (!plan) process.exit(1);
const [dy, dx] = [5, -3];
const out = planner.step(plan, x, { dy, dx, stepSize: p.stepSize, weights: p.layers.map((l) => l.weight) });
const g = planner.gradient(plan, [1, size, size, 3]);
// The reference on tfjs ops: with plans on, ModelRunner.run would take this plan's network.
tf.env().set('DREAMSTREAM_WEBGPU_PLAN', false);
const ref = tf.tidy(() => {
  const shifted = roll(x, dy, dx);
  return tf.valueAndGrad((v: tf.Tensor) => dreamObjective(runner.run(v as tf.Tensor4D, layers), p))(shifted);
});
tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
const rel = async (a: tf.Tensor, b: tf.Tensor) => (await tf.tidy(() => a.sub(b).norm().div(b.norm())).data())[0];
console.log('loss plan', (await out.loss.data())[0], 'ref', (await ref.value.data())[0]);
console.log('grad rel err', await rel(g, ref.grad), 'norm', (await ref.grad.norm().data())[0]);
const refImg = tf.tidy(() => {
  const v = ref.grad; const m = tf.moments(v); const st = roll(roll(x,dy,dx).add(v.div(m.variance.sqrt().add(1e-8)).mul(p.stepSize)).clipByValue(-1,1) as tf.Tensor4D, -dy, -dx);
  return st;
});
console.log('image rel err', await rel(out.image, refImg), 'changed', await rel(out.image, x));
