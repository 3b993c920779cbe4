import * as tf from '@tensorflow/tfjs';
import type { KernelImplementations } from './register';
import { heapViews, type WasmHeapBackend } from './wasm-heap';

/**
 * A kernel's arithmetic written once, as a loop over flat float32 arrays: the definition every backend without a
 * GPU program of its own runs, and the one the GPU programs are tested against.
 */
export interface LoopKernel {
  /** The kernel's input names, in the order `loop` receives them. */
  inputs: readonly string[];
  /** The outputs' shapes from the inputs' (and the place to refuse a wrong input shape). */
  outShapes(shapes: number[][], attrs: tf.NamedAttrMap): number[][];
  loop(ins: Float32Array[], outs: Float32Array[], shapes: number[][], attrs: tf.NamedAttrMap): void;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function inputsOf(k: LoopKernel, inputs: tf.NamedTensorInfoMap): tf.TensorInfo[] {
  return k.inputs.map((name) => {
    const t = inputs[name];
    if (!t) throw new Error(`kernel input ${name} is missing`);
    return t;
  });
}

/** One output as itself, several as a list (how tfjs's engine tells a single-output kernel from a multi-output one). */
const result = (outs: tf.TensorInfo[]) => (outs.length === 1 ? outs[0]! : outs);

/**
 * A loop kernel's entries for registerOnEveryBackend: on wasm the loop runs over the heap (no copies), on any other
 * backend it reads the inputs, loops and writes the outputs.
 */
export function loopImplementations(k: LoopKernel): Pick<KernelImplementations, 'wasm' | 'other'> {
  return {
    wasm: ({ inputs, backend, attrs = {} }) => {
      const ins = inputsOf(k, inputs);
      const shapes = ins.map((t) => [...t.shape]);
      const { outs, outData, inData } = heapViews(backend as WasmHeapBackend, ins, k.outShapes(shapes, attrs));
      k.loop(inData, outData, shapes, attrs);
      return result(outs);
    },
    other: () => ({ inputs, backend, attrs = {} }) => {
      const b = backend as tf.KernelBackend;
      const ins = inputsOf(k, inputs);
      const shapes = ins.map((t) => [...t.shape]);
      const outShapes = k.outShapes(shapes, attrs);
      const outData = outShapes.map((s) => new Float32Array(sizeOf(s)));
      k.loop(ins.map((t) => b.readSync(t.dataId) as Float32Array), outData, shapes, attrs);
      return result(outShapes.map((s, i) => ({ dataId: b.write(outData[i]!, s, 'float32'), shape: s, dtype: 'float32' as const })));
    },
  };
}
