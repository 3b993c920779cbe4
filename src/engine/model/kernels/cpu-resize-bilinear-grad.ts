import * as tf from '@tensorflow/tfjs';

/**
 * tfjs 4.22's cpu ResizeBilinearGrad computes the right values but labels them [batch, width, height, depth], so
 * the gradient of any non-square resize fails its shape check. Wrapped here: the stock kernel's values under the
 * images' own shape. (Its sibling on wasm and webgpu is correct; neither honours halfPixelCenters, which is why
 * the pyramid basis resizes without it.)
 */
let wrapped = false;

export function fixCpuResizeBilinearGrad(): void {
  if (wrapped) return;
  const stock = tf.getKernel(tf.ResizeBilinearGrad, 'cpu');
  if (!stock) return;
  wrapped = true;
  tf.unregisterKernel(tf.ResizeBilinearGrad, 'cpu');
  tf.registerKernel({
    kernelName: tf.ResizeBilinearGrad,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const out = stock.kernelFunc(args) as tf.TensorInfo;
      const shape = (args.inputs as { images: tf.TensorInfo }).images.shape;
      if (out.shape.every((n, i) => n === shape[i])) return out;
      const backend = args.backend as tf.KernelBackend & {
        data: { get(id: object): { values: Float32Array } };
        makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
      };
      const fixed = backend.makeTensorInfo(shape, out.dtype, backend.data.get(out.dataId).values);
      backend.disposeData(out.dataId);
      return fixed;
    },
  });
}
