import { z } from 'zod';

/** A bounded number with a default; the message names the allowed range so a bad value is easy to fix. */
export function num(min: number, max: number, fallback: number, integer = false) {
  // One wording for every way a value can miss (wrong type, NaN, fraction, out of range): "must be an integer from 1 to 8".
  const error = `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  let s = z.number({ error }).finite({ error });
  if (integer) s = s.int({ error });
  return s.min(min, { error }).max(max, { error }).default(fallback);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(fallback as never);
}

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/**
 * Parses `input` with `schema`; on failure throws one ParamError listing every bad parameter by its path,
 * e.g. `stepSize must be a number from 0.0001 to 1 (got 5)`.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const path = issue.path.join('.') || what;
    const got = valueAt(input, issue.path);
    return `${path} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
  });
  throw new ParamError(`invalid ${what}: ${lines.join('; ')}`);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
