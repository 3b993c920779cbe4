import { z } from 'zod';

/** instanceof against a global that may not exist in every realm (Node tests, old browsers). */
export function instanceOf<T>(name: string) {
  return z.custom<T>(
    (v) => {
      const ctor = (globalThis as Record<string, unknown>)[name];
      return typeof ctor === 'function' && v instanceof (ctor as new () => unknown);
    },
    { error: `must be a ${name}` },
  );
}
