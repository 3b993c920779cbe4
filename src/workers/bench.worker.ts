/// <reference lib="webworker" />
/**
 * Benchmarks the engine inside a browser worker, as the app runs it: a dream step, a style iteration, and a full
 * stream frame (step + zoom transform + draw to an OffscreenCanvas); where the backend has recorded plans, their
 * figures per step (a dream step's, a style iteration's). Counts blocking GPU→CPU reads (readSync)
 * per step: the frame loop's target is zero.
 */
import * as tf from '@tensorflow/tfjs';
import { dreamParams } from '../engine/params/dream';
import { streamParams } from '../engine/params/stream';
import { styleParams } from '../engine/params/style';
import { StreamSession } from '../engine/sessions/stream-session';
import { StyleSession } from '../engine/sessions/style-session';
import { awaited, countSyncReads, measure, type BenchRow } from '../engine/bench/measure';
import { planFigures, streamFrameFigures, styleFigures } from '../engine/bench/plan-rows';
import { selectBackend } from './backend-select';
import { fetchRunner } from './model-fetch';
import { Painter } from './painter';
import type { BackendChoice } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

export interface BenchRequest {
  backend: BackendChoice;
  sizes: number[];
  runs: number;
  modelUrl: string;
  wasmPaths: Record<string, string>;
}

self.onmessage = async (ev: MessageEvent<BenchRequest>) => {
  const req = ev.data;
  try {
    await selectBackend(req.backend, req.wasmPaths);
    countSyncReads();
    const runner = await fetchRunner(req.modelUrl);
    const painter = new Painter(new OffscreenCanvas(1, 1));
    for (const size of req.sizes) {
      const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const dream = new StreamSession(runner, x, dreamParams({ layers: [{ name: 'mixed3', weight: 1 }] }), streamParams({}));
      const post = (row: BenchRow | null) => self.postMessage({ row });
      // Where the backend has recorded plans (WebGPU): the plan's own figures per step, counted on the device.
      const plan = await planFigures(runner, x, dreamParams({ layers: [{ name: 'mixed3', weight: 1 }] }), req.runs, 10);
      if (typeof plan !== 'string') self.postMessage({ plan });
      post(await measure('dream step (mixed3)', size, req.runs, awaited(() => dream.step())));
      post(
        await measure('stream frame (step + zoom + draw)', size, req.runs, async () => {
          const l = dream.step();
          dream.advance();
          const shown = dream.display();
          await painter.paint(shown);
          shown.dispose();
          await l.data();
          l.dispose();
        }),
      );
      dream.dispose();
      const y = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const style = new StyleSession(runner, x, y, styleParams({}));
      post(await measure('style iteration', size, req.runs, awaited(() => style.step())));
      style.dispose();
      // A stream frame's step and tail, and a whole style iteration, as recorded plans where the backend has them.
      const framePlan = await streamFrameFigures(runner, x, dreamParams({ layers: [{ name: 'mixed3', weight: 1 }] }), streamParams({}), req.runs, 10);
      if (typeof framePlan !== 'string') self.postMessage({ plan: framePlan });
      const stylePlan = await styleFigures(runner, x, y, req.runs, 3);
      if (typeof stylePlan !== 'string') self.postMessage({ plan: stylePlan });
      tf.dispose([x, y]);
    }
    self.postMessage({ done: true });
  } catch (e) {
    self.postMessage({ error: (e as Error).message });
  }
};
