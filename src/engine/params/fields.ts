/**
 * The settings schema read as a list of its fields: what a generic front end (the render CLI's flags, a usage
 * text) needs to offer a setting without knowing it by name, so a new section of settings reaches it untouched.
 */
import { z } from 'zod';

/** A zod object schema: the settings, or any section of them. */
export type ObjectSchema = z.ZodObject;

/** What a field holds, with the bounds its schema checks (shown in help; the schema still does the checking). */
export type FieldKind =
  | { type: 'number'; min: number; max: number; integer: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  /** Layers with weights, `{name, weight}[]` (text form: params/lists.ts). */
  | { type: 'layers' }
  | { type: 'numbers'; min: number; max: number }
  /** Audio mappings, `{feature, target, amount, …}[]` (text form: params/audio.ts). */
  | { type: 'mappings' };

export interface SettingField {
  /** Keys from the root: ['dream', 'stepSize']. */
  path: readonly string[];
  kind: FieldKind;
  /** The value when the field is not given; undefined where the schema has none. */
  fallback?: unknown;
  /** The schema's own description (`.describe()`), where it has one. */
  description?: string;
}

/** The schema under its defaults and optionals: the node that says what the value is. */
export function unwrapped(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
  return node;
}

/**
 * Every leaf field of `schema`, depth first in the schema's own order; nested objects are sections, not fields.
 * Throws on a field of a kind no front end can take as text, so a schema change that needs one fails loudly.
 */
export function settingFields(schema: ObjectSchema, prefix: readonly string[] = []): SettingField[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const path = [...prefix, key];
    const node = unwrapped(field);
    if (node instanceof z.ZodObject) return settingFields(node, path);
    const fallback = field instanceof z.ZodDefault ? (field.def.defaultValue as unknown) : undefined;
    const description = field.description ?? node.description;
    return [{ path, kind: kindOf(node, path), ...(fallback === undefined ? {} : { fallback }), ...(description ? { description } : {}) }];
  });
}

function kindOf(node: z.ZodType, path: readonly string[]): FieldKind {
  if (node instanceof z.ZodNumber) return { type: 'number', ...bounds(node), integer: node.isInt };
  if (node instanceof z.ZodBoolean) return { type: 'boolean' };
  if (node instanceof z.ZodEnum) return { type: 'enum', values: node.options.map(String) };
  if (node instanceof z.ZodString) return { type: 'string' };
  if (node instanceof z.ZodArray) {
    const element = unwrapped(node.element as z.ZodType);
    if (element instanceof z.ZodNumber) return { type: 'numbers', ...bounds(element) };
    if (element instanceof z.ZodObject && 'name' in element.shape && 'weight' in element.shape) return { type: 'layers' };
    if (element instanceof z.ZodObject && 'feature' in element.shape && 'target' in element.shape) return { type: 'mappings' };
  }
  throw new Error(`settings field ${path.join('.')}: no text form for a ${node.def.type}`);
}

const bounds = (node: z.ZodNumber) => ({ min: node.minValue ?? -Infinity, max: node.maxValue ?? Infinity });
