import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { channelMoments, guardColour, guardReference } from '../../src/engine/image/colour';
import { FrameMover } from '../../src/engine/image/frame-mover';
import { ModelRunner } from '../../src/engine/model/runner';
import { styleParams, type StyleParamsInput } from '../../src/engine/params/style';
import { StyleSession } from '../../src/engine/sessions/style-session';
import { useNodeBackend, type NodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk } from '../../src/node/model-files';
import { gradientOn, photo, relErr } from '../helpers/engine';

/** Losses of a few style iterations (by default: the pyramid basis, the mirror-padded jittered view, colour match). */
async function styleLossesOn(backend: NodeBackend, content: Float32Array, style: Float32Array, input: StyleParamsInput = {}, blend = false, iterations = 3): Promise<Float32Array> {
  await useNodeBackend(backend);
  // tfjs's kernels and the project's own against wasm's: the recorded plan has its own file (plan.test.ts). Left
  // on, the plan would start building at the third iteration, compiling on SwiftShader for a session about to end.
  tf.env().set('DREAMSTREAM_WEBGPU_PLAN', false);
  try {
    return await styleLosses(content, style, input, blend, iterations);
  } finally {
    tf.env().set('DREAMSTREAM_WEBGPU_PLAN', true);
  }
}

async function styleLosses(content: Float32Array, style: Float32Array, input: StyleParamsInput, blend: boolean, iterations: number): Promise<Float32Array> {
  const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
  const [c, s] = [tf.tensor4d(content, [1, 80, 80, 3]), tf.tensor4d(style, [1, 96, 96, 3])];
  const paintings = blend ? [{ image: s, weight: 2 }, { image: c, weight: 1 }] : s;
  const session = new StyleSession(runner, c, paintings, styleParams(input));
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const losses = session.step();
    out.push(...(await losses.data()));
    losses.dispose();
  }
  session.dispose();
  tf.dispose([c, s]);
  runner.dispose();
  return Float32Array.from(out);
}

/**
 * WebGPU here is SwiftShader (CPU-emulated): on 2 busy cores, with another test file running beside it, one of these
 * took 180 s. The limit is a guard against a hang, not a speed check.
 */
const SWIFTSHADER_LIMIT = 600_000;

describe('the custom gradients agree across backends', () => {
  it('cpu (Conv2DBackpropInput strategy) and webgpu (rotated kernels on the GPU, via the npm webgpu package) match wasm (heap kernels)', async () => {
    await useNodeBackend('wasm');
    // mixed3 reaches through every kind of layer the wasm heap kernels replace: max pools, concats, stride-2 convolutions.
    const size = 96;
    const x = photo('cat-128.png', size);
    const pixels = (await x.data()) as Float32Array;
    x.dispose();
    const reference = await gradientOn('wasm', 'mixed3', pixels, size);
    const cpu = await gradientOn('cpu', 'mixed3', pixels, size);
    expect(relErr(cpu, reference)).toBeLessThan(1e-3);
    // WebGPU in Node finds an adapter through SwiftShader (scripts/ensure-browser.sh installs the Vulkan loader): slow, so a
    // shallower layer.
    const wasmShallow = await gradientOn('wasm', 'mixed0', pixels, size);
    const gpu = await gradientOn('webgpu', 'mixed0', pixels, size);
    expect(relErr(gpu, wasmShallow)).toBeLessThan(1e-3);
    await useNodeBackend('wasm');
  }, SWIFTSHADER_LIMIT);

  it('a style iteration with the default basis, view and colour matching gives the same losses on webgpu as on wasm', async () => {
    await useNodeBackend('wasm');
    const [content, style] = [photo('cat-128.png', 80), photo('brick-128.jpg', 96)];
    const [c, s] = [(await content.data()) as Float32Array, (await style.data()) as Float32Array];
    tf.dispose([content, style]);
    const reference = await styleLossesOn('wasm', c, s);
    const gpu = await styleLossesOn('webgpu', c, s);
    expect(relErr(gpu, reference)).toBeLessThan(1e-3);
    // Two paintings blended, the view turned and scaled (the Transform kernel and its adjoint, which the second
    // iteration's losses depend on), smoothing.
    const options = { jitterRotate: 5, jitterScale: 0.05, smoothing: 0.5 };
    const turned = await styleLossesOn('wasm', c, s, options, true, 2);
    const turnedGpu = await styleLossesOn('webgpu', c, s, options, true, 2);
    expect(relErr(turnedGpu, turned)).toBeLessThan(1e-3);
    await useNodeBackend('wasm');
  }, SWIFTSHADER_LIMIT);

  it("a stream's colour guard (one kernel after the moments, themselves one) moves a frame on webgpu as on wasm", async () => {
    const guarded: Float32Array[] = [];
    const moments: Float32Array[] = [];
    for (const backend of ['wasm', 'webgpu'] as NodeBackend[]) {
      await useNodeBackend(backend);
      // A dark frame past the gamut's ends, pulled hard toward a light graphic's moments: the gamut limits the move.
      const x = tf.tidy(() => tf.randomNormal([1, 17, 23, 3], -0.4, 0.6, 'float32', 3) as tf.Tensor4D);
      const light = tf.tidy(() => tf.randomUniform([1, 17, 23, 3], 0.2, 1, 'float32', 4) as tf.Tensor4D);
      const ref = guardReference(light);
      expect(tf.getBackend()).toBe(backend);
      const out = guardColour(x, ref, 1);
      guarded.push((await out.data()) as Float32Array);
      // 61×67 pixels (each of the WebGPU kernel's 256 lanes sums several), the blue channel flat.
      const wide = tf.tidy(() => tf.concat([tf.randomNormal([1, 61, 67, 2], 0.2, 0.5, 'float32', 6), tf.fill([1, 61, 67, 1], -0.25)], 3) as tf.Tensor4D);
      const m = channelMoments(wide);
      moments.push(Float32Array.from([...(await m.mean.data()), ...(await m.std.data())]));
      tf.dispose([x, light, ref.mean, ref.std, out, wide, m.mean, m.std]);
    }
    expect(relErr(guarded[1]!, guarded[0]!)).toBeLessThan(1e-5);
    expect(relErr(moments[1]!, moments[0]!)).toBeLessThan(1e-5);
    await useNodeBackend('wasm');
  }, SWIFTSHADER_LIMIT);

  it("a stream's feedback transform (one kernel: separable, and 16 taps when turned) moves a frame on webgpu as on wasm", async () => {
    const moved: Float32Array[][] = [];
    for (const backend of ['wasm', 'webgpu'] as NodeBackend[]) {
      await useNodeBackend(backend);
      const x = tf.tidy(() => tf.randomUniform([1, 29, 37, 3], -1, 1, 'float32', 5).sign().mul(0.98) as tf.Tensor4D);
      const mover = new FrameMover();
      const outs: Float32Array[] = [];
      for (const m of [{ zoom: 1.02, rotate: 0, dx: 0.5, dy: 0 }, { zoom: 1.05, rotate: 3, dx: 1.5, dy: -2 }]) {
        const out = mover.move(x, m);
        outs.push((await out.data()) as Float32Array);
        out.dispose();
      }
      moved.push(outs);
      mover.dispose();
      x.dispose();
    }
    expect(relErr(moved[1]![0]!, moved[0]![0]!)).toBeLessThan(1e-5);
    expect(relErr(moved[1]![1]!, moved[0]![1]!)).toBeLessThan(1e-5);
    await useNodeBackend('wasm');
  }, SWIFTSHADER_LIMIT);
});
