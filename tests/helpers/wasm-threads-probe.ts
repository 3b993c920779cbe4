/**
 * Run in a child process by tests/node/wasm-threads.test.ts: starts the wasm backend the way the CLI and benches do,
 * convolves once, and prints the XNNPACK thread count and a checksum as JSON. The process must then exit by itself.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../../src/node/backend';

await useNodeBackend('wasm');
const x = tf.randomUniform([1, 40, 40, 16], -1, 1, 'float32', 5);
const w = tf.randomUniform([3, 3, 16, 24], -1, 1, 'float32', 6);
const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
const sum = (await y.abs().sum().data())[0];
console.log(JSON.stringify({ threads: getThreadsCount(), sum }));
