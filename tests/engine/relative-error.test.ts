import { describe, expect, it } from 'vitest';
import { relativeL2Error } from '../../src/engine/bench/relative-error';

describe('relativeL2Error', () => {
  it('is zero for equal arrays and ‖a − b‖ / ‖b‖ otherwise', () => {
    expect(relativeL2Error([1, 2, 3], new Float32Array([1, 2, 3]))).toBe(0);
    expect(relativeL2Error([0, 0], [3, 4])).toBeCloseTo(1, 12);
    expect(relativeL2Error([3, 5], [3, 4])).toBeCloseTo(1 / 5, 12);
  });

  it('refuses arrays of different lengths instead of comparing a prefix', () => {
    expect(() => relativeL2Error([1, 2], [1, 2, 3])).toThrow(/lengths differ/);
  });
});
