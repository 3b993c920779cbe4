/**
 * The modes the live loop, Render large and the CLI can run, by name. The built-in registry holds dreaming, style
 * transfer and webcam dreaming; a registry with another mode is one `new ModeRegistry([...BUILT_IN_SPECS, spec])`
 * (the tests add a toy mode so). It refuses a mode whose settings are not all marked live or rebuild, two modes of
 * one name, and two modes that define one settings section differently.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { marks } from '../params/apply';
import { parseWith } from '../params/schema';
import { settingsSchemaFor, type Settings } from '../params/settings';
import { dreamMode } from './dream';
import { lensMode } from './lens';
import type { Mode, ModeContext } from './mode';
import type { ModeSpec, Still, StillOptions } from './spec';
import { styleMode } from './style';
import { webcamMode } from './webcam';

export const BUILT_IN_SPECS = [dreamMode, styleMode, webcamMode, lensMode] as const;

export class ModeRegistry {
  readonly specs: readonly ModeSpec[];
  /** The settings of these modes: `mode` names one of them; their sections and the common settings. */
  readonly settingsSchema: z.ZodObject;

  constructor(specs: readonly [ModeSpec, ...ModeSpec[]]) {
    this.specs = specs;
    checkSpecs(specs);
    this.settingsSchema = settingsSchemaFor(specs) as unknown as z.ZodObject;
  }

  get names(): string[] {
    return this.specs.map((s) => s.name);
  }

  /** The mode named `name`; an unknown name is a one-line error naming the known ones. */
  spec(name: string): ModeSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`unknown mode "${name}" (known: ${this.names.join(', ')})`);
    return spec;
  }

  /** Settings of these modes from any input (defaults filled in), or a ParamError naming each bad value. */
  settings(input?: unknown): Settings {
    return parseWith(this.settingsSchema, input, 'settings') as Settings;
  }

  /** The live mode `settings.mode` names (see ModeSpec.createLive). */
  createLive(settings: Settings, ctx: ModeContext, size: [number, number], start?: tf.Tensor4D, iteration = 0): Mode {
    return this.spec(settings.mode).createLive(ctx, settings, size, start, iteration);
  }

  /** A still of `options.settings.mode` (see ModeSpec.createStill). */
  createStill(options: StillOptions): Still {
    return this.spec(options.settings.mode).createStill(options);
  }

  /** The layers the mode `settings.mode` names reads, to size tiles. */
  layers(settings: Settings): string[] {
    return this.spec(settings.mode).layers(settings);
  }
}

function checkSpecs(specs: readonly ModeSpec[]): void {
  const sections = new Map<string, { schema: z.ZodType; mode: string }>();
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`two modes are named "${spec.name}"`);
    names.add(spec.name);
    for (const [key, schema] of Object.entries(spec.settings)) {
      const seen = sections.get(key);
      if (seen && seen.schema !== schema) throw new Error(`modes "${seen.mode}" and "${spec.name}" define the settings section "${key}" differently`);
      sections.set(key, { schema, mode: spec.name });
      const unmarked = Object.entries(marks(key, schema)).filter(([, apply]) => !apply);
      if (unmarked.length) throw new Error(`mode "${spec.name}": ${unmarked.map(([path]) => path).join(', ')} marked neither live nor rebuild (params/apply.ts)`);
    }
  }
}

/** The built-in modes: what the app, Render large and the CLI run. */
export const BUILT_IN_MODES = new ModeRegistry(BUILT_IN_SPECS);
