import * as tf from '@tensorflow/tfjs';
import { ModelRunner } from '../../src/engine/model/runner';
import { plannerFor } from '../../src/engine/plan/planner';
import { styleParams } from '../../src/engine/params/style';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { creations, DeviceCounter } from '../../src/engine/plan/device-counts';
import { lastStepPath } from '../../src/engine/plan/step-path';
import { extensionsSettled } from '../../src/engine/plan/extension-cache';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';
await useNodeBackend('webgpu');
const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
const S = Number(process.argv[2] ?? 83);
const c = tf.randomUniform([1, S, S, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
const st = tf.randomUniform([1, S, S, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
const p = styleParams({});
const planner = plannerFor(runner)!;
let t = performance.now();
{ const s = new StyleSession(runner, c, st, p); for (let i = 0; i < 3; i++) s.step().dispose(); await s.image.data(); s.dispose(); }
await planner.settled();
// The loss terms are built on the first iteration that finds the plan.
{ const s = new StyleSession(runner, c, st, p); s.step().dispose(); await s.image.data(); s.dispose(); }
await extensionsSettled();
console.log('warm+build ms', performance.now() - t, lastStepPath());
const run = async (plan: boolean, n: number) => {
  tf.env().set('DREAMSTREAM_WEBGPU_PLAN', plan);
  const s = new StyleSession(runner, c, st, p);
  const losses: number[][] = [];
  for (let i = 0; i < n; i++) { const l = s.step(); losses.push([...(await l.data())]); l.dispose(); }
  const img = await s.image.data(); s.dispose(); return { img, losses, path: lastStepPath() };
};
t = performance.now();
const a = await run(false, 2); console.log('ops ms', performance.now() - t, a.path);
t = performance.now();
const b = await run(true, 2); console.log('plan ms', performance.now() - t, b.path);
console.log(a.losses, b.losses);
let num = 0, den = 0; for (let i = 0; i < a.img.length; i++) { num += (a.img[i]! - b.img[i]!) ** 2; den += a.img[i]! ** 2; }
console.log('img rel', Math.sqrt(num / den));
const counter = new DeviceCounter(planner.backend.device);
const s = new StyleSession(runner, c, st, p); s.step().dispose(); await s.image.data(); counter.take();
for (let i = 0; i < 3; i++) s.step().dispose(); const k = counter.take(); await s.image.data();
console.log('per iteration', k.dispatches / 3, 'creations', creations(k) / 3, 'submits', k.submit / 3, lastStepPath());
