/**
 * A mode is one folder and one line in a registry: here a toy mode is added through the registry alone (no other
 * file), and runs through the live loop, a still (Render large's path) and the settings schema.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Loop } from '../../src/engine/loop/loop';
import type { ModelRunner } from '../../src/engine/model/runner';
import { defineAbout } from '../../src/engine/modes/about';
import { MODE_ABOUTS } from '../../src/engine/modes/catalog';
import { KEPT, type Change, type Mode } from '../../src/engine/modes/mode';
import { BUILT_IN_MODES, BUILT_IN_SPECS, ModeRegistry } from '../../src/engine/modes/registry';
import { defineMode, type ModeSpec } from '../../src/engine/modes/spec';
import { live, rebuild } from '../../src/engine/params/apply';
import { num } from '../../src/engine/params/schema';
import type { Settings } from '../../src/engine/params/settings';
import type { Session } from '../../src/engine/sessions/session';
import { renderLarge } from '../../src/workers/render-large';
import { cliFlags, commandFlags } from '../../src/cli/flags';
import { settingValue } from '../../src/cli/settings-flags';
import { engine, photo } from '../helpers/engine';

/** The toy's settings as the registry assembles them (the built-in Settings type does not know the section). */
type ToySettings = Settings & { toy: { amount: number } };
const toyOf = (s: Settings) => (s as ToySettings).toy;

/** Each step moves the picture `amount` of the way to its mirror image; the loss is how far it still is. */
class MirrorSession implements Session {
  readonly lossNames = ['loss'] as const;
  iteration = 0;
  image: tf.Tensor4D;

  constructor(
    start: tf.Tensor4D,
    public amount: number,
  ) {
    this.image = start.clone();
  }

  step(): tf.Tensor1D {
    const [next, loss] = tf.tidy(() => {
      const mirror = tf.reverse(this.image, 2);
      return [this.image.add(mirror.sub(this.image).mul(this.amount)) as tf.Tensor4D, this.image.sub(mirror).abs().mean().reshape([1]) as tf.Tensor1D];
    });
    this.image.dispose();
    this.image = next;
    this.iteration++;
    return loss;
  }

  display(): tf.Tensor4D {
    return this.image.clone();
  }

  dispose(): void {
    this.image.dispose();
  }
}

/** The live half: the session plus what a settings change means (the amount live, another mode a rebuild). */
class MirrorMode implements Mode {
  readonly name = 'toy';
  readonly lossNames = ['loss'];
  constructor(
    private readonly session: MirrorSession,
    private settings: Settings,
  ) {}
  get iteration() {
    return this.session.iteration;
  }
  get image() {
    return this.session.image;
  }
  get stream() {
    return this.settings.stream;
  }
  apply(settings: Settings): Change {
    if ((settings.mode as string) !== 'toy') return { kind: 'rebuild', from: 'image', fade: false };
    this.settings = settings;
    this.session.amount = toyOf(settings).amount;
    return KEPT;
  }
  resize(): Change {
    return { kind: 'rebuild', from: 'image', fade: false, carry: true };
  }
  styleChanged(): Change {
    return KEPT;
  }
  setMask(): Change {
    return KEPT;
  }
  setGuide(): void {}
  cameraFrame(): void {}
  frame(steps: number) {
    let losses: tf.Tensor1D | null = null;
    for (let i = 0; i < steps; i++) {
      losses?.dispose();
      losses = this.session.step();
    }
    return { image: this.session.display(), losses };
  }
  display() {
    return this.session.display();
  }
  dispose() {
    this.session.dispose();
  }
}

const toyAbout = defineAbout({
  name: 'toy',
  label: 'Mirror (toy)',
  settings: { toy: live(z.object({ amount: num(0, 1, 0.25) }).default({ amount: 0.25 })) },
  source: 'picture',
  pictures: { content: 'Image', paintings: false, guide: false },
  lossNames: ['loss'],
  minResolution: 0,
  maskOther: { label: 'Nothing', layers: false },
});

const toyMode: ModeSpec = defineMode({
  ...toyAbout,
  createLive: (ctx, settings, [h, w], start) => {
    const x = tf.image.resizeBilinear(start ?? ctx.content, [h, w]) as tf.Tensor4D;
    try {
      return new MirrorMode(new MirrorSession(x, toyOf(settings).amount), settings);
    } finally {
      x.dispose();
    }
  },
  createStill: ({ ctx, settings, size: [h, w], start, steps }) => {
    const x = tf.image.resizeBilinear(start ?? ctx.content, [h, w]) as tf.Tensor4D;
    try {
      return { session: new MirrorSession(x, toyOf(settings).amount), steps, tiles: () => 1, area: () => h * w };
    } finally {
      x.dispose();
    }
  },
  layers: () => [],
});

/** How far a picture is from its mirror image (0: symmetric). */
const asymmetry = (x: tf.Tensor4D) => tf.tidy(() => x.sub(tf.reverse(x, 2)).abs().mean().dataSync()[0]!);

let runner: ModelRunner;
let content: tf.Tensor4D;
beforeAll(async () => {
  runner = await engine();
  content = photo('cat-128.png', 128);
});
afterAll(() => content.dispose());

describe('the mode registry', () => {
  it('holds the modes the page knows, with the same abouts (the catalog and the registry cannot drift apart)', () => {
    expect(BUILT_IN_MODES.names).toEqual(MODE_ABOUTS.map((a) => a.name));
    for (const about of MODE_ABOUTS) {
      const spec = BUILT_IN_MODES.spec(about.name);
      for (const key of Object.keys(about) as (keyof typeof about)[]) expect(spec[key], `${about.name}.${key}`).toBe(about[key]);
    }
    expect(() => BUILT_IN_MODES.spec('toy')).toThrow('unknown mode "toy" (known: dream, style, webcam, lens)');
  });

  it('refuses a mode with a setting marked neither live nor rebuild, two modes of one name, and a section defined twice', () => {
    const unmarked = { ...toyMode, settings: { toy: z.object({ amount: num(0, 1, 0.25), speed: live(num(0, 1, 0)) }).default({ amount: 0.25, speed: 0 }) } };
    expect(() => new ModeRegistry([...BUILT_IN_SPECS, unmarked])).toThrow('mode "toy": toy.amount marked neither live nor rebuild');
    expect(() => new ModeRegistry([...BUILT_IN_SPECS, { ...toyMode, name: 'style' }])).toThrow('two modes are named "style"');
    const clash = { ...toyMode, settings: { style: rebuild(z.object({}).default({})) } };
    expect(() => new ModeRegistry([...BUILT_IN_SPECS, clash])).toThrow('modes "style" and "toy" define the settings section "style" differently');
  });

  it('a toy mode added through the registry alone: its settings parse, checked, beside the built-in ones', () => {
    const modes = new ModeRegistry([...BUILT_IN_SPECS, toyMode]);
    const s = modes.settings({ mode: 'toy', toy: { amount: 0.5 } });
    expect(s.mode).toBe('toy');
    expect(toyOf(s).amount).toBe(0.5);
    expect(s.dream.layers.length).toBeGreaterThan(0);
    expect(() => modes.settings({ mode: 'toy', toy: { amount: 3 } })).toThrow('toy.amount must be a number from 0 to 1 (got 3)');
    // The built-in registry does not know it.
    expect(() => BUILT_IN_MODES.settings({ mode: 'toy' })).toThrow('mode must be one of dream, style, webcam, lens');
  });

  it('the toy\'s settings become CLI flags from the schema: named, typed, read and checked with no CLI code touched', () => {
    const modes = new ModeRegistry([...BUILT_IN_SPECS, toyMode]);
    const flags = commandFlags(cliFlags(modes.settingsSchema), new Set());
    const amount = flags.get('toy-amount')!;
    expect(amount.flag).toMatchObject({ path: 'toy.amount', short: 'amount', kind: { type: 'number', min: 0, max: 1, integer: false }, fallback: 0.25 });
    // The short spelling works where it is unambiguous.
    expect(flags.get('amount')?.flag.path).toBe('toy.amount');
    const value = settingValue(amount, '--toy-amount', '0.75');
    expect(toyOf(modes.settings({ mode: 'toy', toy: { amount: value } })).amount).toBe(0.75);
    expect(() => settingValue(amount, '--toy-amount', 'lots')).toThrow('--toy-amount must be a number (got "lots")');
  });

  it('the toy runs in the live loop: frames follow it, its setting applies live, a switch to dreaming and back rebuilds', async () => {
    const modes = new ModeRegistry([...BUILT_IN_SPECS, toyMode]);
    const s = modes.settings({ mode: 'toy', toy: { amount: 0.2 }, crossfade: 0, dream: { layers: [{ name: 'mixed0', weight: 1 }] } });
    const loop = new Loop(runner, s, 96, { modes, now: () => 0 });
    loop.setContent(content.clone());
    let shown = -1;
    const present = (image: tf.Tensor4D) => {
      shown = asymmetry(image);
    };
    await loop.frame(1, present);
    const first = shown;
    await loop.frame(3, present);
    expect(loop.mode!.name).toBe('toy');
    expect(shown).toBeLessThan(first * 0.6);
    loop.setSettings(modes.settings({ ...s, toy: { amount: 1 } }));
    const kept = loop.mode;
    await loop.frame(1, present);
    expect(loop.mode).toBe(kept);
    // Amount 1: each step swaps the picture with its mirror image, as far from symmetric as before.
    expect(shown).toBeGreaterThan(0);
    const roundTrip = async () => {
      loop.setSettings({ ...s, mode: 'dream' });
      await loop.frame(1, present);
      expect(loop.mode!.name).toBe('dream');
      loop.setSettings(s);
      await loop.frame(1, present);
      expect(loop.mode!.name).toBe('toy');
      await loop.settled();
    };
    // The first switch lets the runner keep what it caches per layer set; after it, switches hold no tensors.
    await roundTrip();
    const before = tf.memory().numTensors;
    await roundTrip();
    expect(tf.memory().numTensors).toBe(before);
    loop.dispose();
  });

  it('the toy makes a still through Render large’s path, at the size asked, its steps counted', async () => {
    const modes = new ModeRegistry([...BUILT_IN_SPECS, toyMode]);
    const s = modes.settings({ mode: 'toy', toy: { amount: 0.25 } });
    const sources = { runner, content, styles: [], guide: undefined, mask: null };
    const seen: number[] = [];
    const out = (await renderLarge(sources, s, { size: 160, steps: 4 }, { frame: null, liveSide: 96 }, undefined, (p) => seen.push(p.step), async () => {}, () => false, modes))!;
    expect(out.shape).toEqual([1, 160, 160, 3]);
    expect(seen).toEqual([1, 2, 3, 4]);
    // Each step halves the distance to the mirror image (amount ¼ from either side): 1/16 of the picture's asymmetry is left.
    const start = tf.image.resizeBilinear(content, [160, 160]) as tf.Tensor4D;
    expect(asymmetry(out)).toBeCloseTo(asymmetry(start) / 16, 3);
    tf.dispose([out, start]);
  });
});
