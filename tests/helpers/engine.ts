import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { pixelsToModel } from '../../src/engine/image/convert';
import { cover } from '../../src/engine/image/geometry';
import { relativeL2Error } from '../../src/engine/bench/relative-error';
import { ModelRunner } from '../../src/engine/model/runner';
import type { GradientMode } from '../../src/engine/model/types';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { readImage } from '../../src/node/image-io';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../../src/node/model-files';

export const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures');

const runners = new Map<GradientMode, ModelRunner>();

/** wasm is the fastest CPU backend; tests that need exact float behaviour can ask for cpu. */
export async function engine(backend: NodeBackend = 'wasm', mode: GradientMode = 'fast'): Promise<ModelRunner> {
  if (tf.getBackend() !== backend) await useNodeBackend(backend);
  let r = runners.get(mode);
  if (!r) {
    r = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), mode);
    runners.set(mode, r);
  }
  return r;
}

/** A fixture photo as the model's [1,size,size,3] in [-1, 1]. */
export function photo(name = 'cat-128.png', size = 128): tf.Tensor4D {
  return tf.tidy(() => cover(pixelsToModel(readImage(join(FIXTURES, name))), size, size));
}

/** Input gradient of ½·mean(a²) at `layer` on `backend` (fast gradients), as plain numbers for cross-backend checks. */
export async function gradientOn(backend: NodeBackend, layer: string, pixels: Float32Array, size: number): Promise<Float32Array> {
  await useNodeBackend(backend);
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const g = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [1, size, size, 3]);
    return tf.grad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, [layer])[layer]!.square().mean().mul(0.5))(x);
  });
  const out = (await g.data()) as Float32Array;
  g.dispose();
  runner.dispose();
  return out;
}

/** ‖a − b‖ / ‖b‖. */
export const relErr = relativeL2Error;
