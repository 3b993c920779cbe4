/**
 * When a change to a setting takes effect, marked on the schema itself so no list of names can fall behind it:
 * `live` settings are taken by the running session (the picture carries on), `rebuild` ones need a new session.
 * A mode's settings section is marked as a whole or field by field (a field's own mark wins); the mode registry
 * refuses a mode with a field marked neither way, so a new parameter cannot be silently ignored.
 */
import type { z } from 'zod';

export type Apply = 'live' | 'rebuild';

interface ApplyMeta {
  apply?: Apply;
}

/** The schema, marked: a change applies to the running session. */
export function live<S extends z.ZodType>(schema: S): S {
  return schema.meta({ ...schema.meta(), apply: 'live' }) as S;
}

/** The schema, marked: a change needs a new session. */
export function rebuild<S extends z.ZodType>(schema: S): S {
  return schema.meta({ ...schema.meta(), apply: 'rebuild' }) as S;
}

/** The schema and what it wraps (`.default()` wraps the schema it was called on; a mark may sit on either). */
function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  for (let s = schema; out.length < 4; ) {
    const inner = (s as { def?: { innerType?: z.ZodType } }).def?.innerType;
    if (!inner) break;
    out.push((s = inner));
  }
  return out;
}

/** The schema's own mark (on it or on what it wraps), if any. */
export function applyOf(schema: z.ZodType): Apply | undefined {
  for (const s of layers(schema)) {
    const apply = (s.meta() as ApplyMeta | undefined)?.apply;
    if (apply) return apply;
  }
  return undefined;
}

/** A section's fields: the object shape behind a section schema (through defaults), or none for a plain field. */
export function fieldsOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const object = layers(schema).find((s) => 'shape' in s);
  return object ? ((object as unknown as z.ZodObject).shape as Record<string, z.ZodType>) : null;
}

/**
 * Each field of a section with its mark (its own, else the section's): `{ 'style.jitter': 'rebuild', … }`; a plain
 * top-level setting is its own one field. Unmarked fields are listed under `undefined`, for the registry to refuse.
 */
export function marks(key: string, schema: z.ZodType): Record<string, Apply | undefined> {
  const section = applyOf(schema);
  const fields = fieldsOf(schema);
  if (!fields) return { [key]: section };
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [`${key}.${name}`, applyOf(field) ?? section]));
}

/** The fields of a section schema marked `apply` (its own mark or the section's). */
export function fieldsMarked(schema: z.ZodType, apply: Apply): string[] {
  return Object.entries(marks('', schema))
    .filter(([, a]) => a === apply)
    .map(([path]) => path.slice(1));
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The fields marked `rebuild` in a section schema whose values differ between `prev` and `next`. */
export function rebuildsChanged<T extends object>(schema: z.ZodType, prev: T, next: T): string[] {
  return fieldsMarked(schema, 'rebuild').filter((k) => !same((prev as Record<string, unknown>)[k], (next as Record<string, unknown>)[k]));
}

/** `params`' fields marked live in its section schema, to hand a running session. */
export function liveFields<T extends object>(schema: z.ZodType, params: T): Partial<T> {
  const keys = fieldsMarked(schema, 'live');
  return Object.fromEntries(Object.entries(params).filter(([k]) => keys.includes(k))) as Partial<T>;
}
