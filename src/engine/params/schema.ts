import { z } from 'zod';

/** A bounded number with a default; the message names the allowed range so a bad value is easy to fix. */
export function num(min: number, max: number, fallback: number, integer = false) {
  // One wording for every way a value can miss (wrong type, NaN, fraction, out of range): "must be an integer from 1 to 8".
  const error = `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  let s = z.number({ error }).finite({ error });
  if (integer) s = s.int({ error });
  return s.min(min, { error }).max(max, { error }).default(fallback);
}

/** An on/off setting with a default; the message says what it takes. */
export function flag(fallback: boolean) {
  return z.boolean({ error: 'must be true or false' }).default(fallback);
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

/** A validation issue as zod reports it: where (a path) and what is wrong. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Issues in one line, each named by its path (`root` for the whole value), with the offending value when `input`
 * is given: `stepSize must be a number from 0.0001 to 1 (got 5); mode must be one of dream, style, webcam`.
 * Every message about a bad setting, look, URL value or protocol message is worded by this one function.
 */
export function formatIssues(issues: readonly Issue[], root: string, input?: unknown): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.') || root;
      const got = input === undefined ? undefined : valueAt(input, issue.path);
      return `${path} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    })
    .join('; ');
}

/**
 * Parses `input` with `schema`; on failure throws one ParamError listing every bad parameter by its path,
 * e.g. `invalid dream parameters: stepSize must be a number from 0.0001 to 1 (got 5)`.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  throw new ParamError(`invalid ${what}: ${formatIssues(r.error.issues, what, input)}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
