/**
 * Relative L2 error ‖a − b‖ / ‖b‖, with b the reference. One definition for the gradient checks in tests and on
 * the GPU machine, so a threshold means the same thing in both.
 */
export function relativeL2Error(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeL2Error: lengths differ (${a.length} vs ${b.length})`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
