/**
 * Checks the engine's custom gradients on a GPU: the input gradient of ½·mean(mixed3²) on webgpu against the cpu
 * backend (tfjs's reference kernels) for the same seeded input, as a relative L2 error. Prints one JSON line.
 * Run by scripts/gpu-bench/device-run.sh on a machine with a GPU; locally webgpu goes through SwiftShader.
 *
 *   tsx scripts/gpu-bench/gradient-check.ts [--size 128] [--layer mixed3]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { relativeL2Error } from '../../src/engine/bench/relative-error';
import { ModelRunner } from '../../src/engine/model/runner';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';

const { values } = parseArgs({ options: { size: { type: 'string', default: '128' }, layer: { type: 'string', default: 'mixed3' } } });
const size = Number(values.size);
const layer = values.layer;

async function gradient(backend: NodeBackend): Promise<{ grad: Float32Array; loss: number }> {
  await useNodeBackend(backend);
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const x = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => runner.run(t as tf.Tensor4D, [layer])[layer]!.square().mean().mul(0.5) as tf.Scalar)(x);
  const out = { grad: (await grad.data()) as Float32Array, loss: (await value.data())[0]! };
  tf.dispose([x, value, grad]);
  runner.dispose();
  return out;
}

const reference = await gradient('cpu');
const gpu = await gradient('webgpu');
const relL2 = relativeL2Error(gpu.grad, reference.grad);
console.log(JSON.stringify({ check: 'input gradient, webgpu vs cpu', layer, size, loss_cpu: reference.loss, loss_webgpu: gpu.loss, rel_l2: relL2, ok: relL2 < 1e-3 }));
