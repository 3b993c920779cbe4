import * as tf from '@tensorflow/tfjs';

/** One gradient per input: a bare tensor for a one-input function, a list otherwise (tfjs accepts either). */
export type InputGradients<I extends tf.Tensor[]> = I extends [tf.Tensor] ? tf.Tensor : tf.Tensor[];

/** A forward pass's result: its value, and the gradient of the inputs given the output's gradient and what was saved. */
export interface Differentiated<I extends tf.Tensor[], O extends tf.Tensor, S extends tf.Tensor[]> {
  value: O;
  gradFunc: (dy: O, saved: S) => InputGradients<I>;
}

/**
 * A forward pass over typed inputs. `save` keeps tensors alive for the backward pass (tfjs disposes the forward's
 * intermediates once it returns); they come back as `saved`, in the same order and with the same types.
 */
export type Forward<I extends tf.Tensor[], O extends tf.Tensor, S extends tf.Tensor[]> = (
  inputs: I,
  save: (tensors: S) => void,
) => Differentiated<I, O, S>;

/**
 * tf.customGrad with typed inputs, output and saved tensors. tfjs types its callback as variadic over
 * Tensor | GradSaveFunc (the save function arrives as the last argument), which no concrete signature satisfies
 * without a cast: the cast lives here, once.
 */
export function customGradient<I extends tf.Tensor[], O extends tf.Tensor, S extends tf.Tensor[] = []>(
  forward: Forward<I, O, S>,
): (...inputs: I) => O {
  const untyped = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs = args.slice(0, -1) as I;
    const { value, gradFunc } = forward(inputs, (tensors) => save(tensors));
    return { value, gradFunc: (dy: O, saved: tf.Tensor[]) => gradFunc(dy, saved as S) };
  };
  const f = tf.customGrad(untyped as unknown as Parameters<typeof tf.customGrad>[0]);
  return (...inputs: I) => f(...inputs) as O;
}
