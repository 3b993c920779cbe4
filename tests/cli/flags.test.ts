import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { flag, num, oneOf } from '../../src/engine/params/schema';
import { settingsSchema } from '../../src/engine/params/settings';
import { parseCli, type CliArgs } from '../../src/cli/args';
import { COMMAND_NAMES, OPTIONS } from '../../src/cli/commands';
import { cliFlags, commandFlags } from '../../src/cli/flags';
import { settingNames, settingsOf } from '../../src/cli/settings-flags';
import { USAGE } from '../../src/cli/usage';

const parse = (argv: string[]) => parseCli(argv) as CliArgs;
const settingsFrom = (argv: string[]) => settingsOf(parse(argv).settings);

describe('settings flags from the schema', () => {
  it('names every field by its path and its key, with its kind, bounds and default', () => {
    const flags = cliFlags(settingsSchema);
    expect(flags.find((f) => f.path === 'dream.stepSize')).toMatchObject({ long: 'dream-step-size', short: 'step-size', kind: { type: 'number', min: 0.0001, max: 1, integer: false }, fallback: 0.03 });
    expect(flags.find((f) => f.path === 'stream.driftX')).toMatchObject({ long: 'stream-drift-x', short: 'drift-x' });
    expect(flags.find((f) => f.path === 'dream.normalise')).toMatchObject({ aliases: ['grad-norm'], kind: { type: 'enum', values: ['std', 'mean-abs', 'laplacian'] } });
    expect(flags.find((f) => f.path === 'style.styleLayers')).toMatchObject({ long: 'style-style-layers', short: 'style-layers', kind: { type: 'layers' } });
    expect(flags.find((f) => f.path === 'style.styleBlend')).toMatchObject({ kind: { type: 'numbers', min: 0, max: 100 }, fallback: [1] });
    expect(flags.find((f) => f.path === 'webcamFlow')).toMatchObject({ long: 'webcam-flow', short: 'webcam-flow', kind: { type: 'boolean' }, fallback: true });
    expect(flags.find((f) => f.path === 'stream.wander')?.description).toMatch(/drifts through the layers/);
  });

  it('gives a new section of settings its flags with no CLI code touched', () => {
    const fractal = z.object({ depth: num(1, 9, 3, true), mirror: flag(false), palette: oneOf(['fire', 'ice'] as const, 'fire') });
    const flags = cliFlags(settingsSchema.extend({ fractal }));
    const own = flags.filter((f) => f.path.startsWith('fractal.'));
    expect(own.map((f) => [f.path, f.long, f.kind.type])).toEqual([
      ['fractal.depth', 'fractal-depth', 'number'],
      ['fractal.mirror', 'fractal-mirror', 'boolean'],
      ['fractal.palette', 'fractal-palette', 'enum'],
    ]);
    const names = commandFlags(own, new Set(['input']));
    expect([...names.keys()].sort()).toEqual(['depth', 'fractal-depth', 'fractal-mirror', 'fractal-palette', 'mirror', 'no-fractal-mirror', 'no-mirror', 'palette']);
    expect(names.get('no-mirror')).toMatchObject({ negated: true });
  });

  it('is collision-free: a shared key, or a name the command keeps for itself, leaves only the long name', () => {
    const flags = cliFlags(z.object({ a: z.object({ jitter: num(0, 1, 0), input: num(0, 1, 0) }), b: z.object({ jitter: num(0, 1, 0) }) }));
    expect([...commandFlags(flags, new Set(['input'])).keys()].sort()).toEqual(['a-input', 'a-jitter', 'b-jitter']);
    expect(() => cliFlags(z.object({ dream: z.object({ stepSize: num(0, 1, 0) }), dreamStepSize: num(0, 1, 0) }))).toThrow(/dream\.stepSize and dreamStepSize both give the flag --dream-step-size/);
  });

  it('keeps every spelling the CLI had, and takes the long names too', () => {
    const dream = settingsFrom(['dream', '--steps', '4', '--grad-norm', 'laplacian', '--lap-levels', '3', '--step-size', '0.05', '--octave-scale', '1.5', '--layers', 'mixed4,mixed5:0.5', '--seed', '7', '--jitter', '8', '--objective', 'mean', '--channel', '12', '--octaves', '2']);
    expect(dream.dream).toMatchObject({ stepsPerOctave: 4, normalise: 'laplacian', laplacianLevels: 3, stepSize: 0.05, octaveScale: 1.5, seed: 7, jitter: 8, objective: 'mean', channel: 12, octaves: 2 });
    expect(dream.dream.layers).toEqual([{ name: 'mixed4', weight: 1 }, { name: 'mixed5', weight: 0.5 }]);
    expect(settingsFrom(['dream', '--dream-steps-per-octave', '6', '--steps-per-octave', '5']).dream.stepsPerOctave).toBe(5);
    const style = settingsFrom(['style', '--seed', '9', '--jitter', '3', '--style-blend', '0.7,0.3', '--style-layers', 'mixed0,mixed1:0.5', '--colour', 'content', '--style-jitter-rotate', '5']);
    expect(style.style).toMatchObject({ seed: 9, jitter: 3, styleBlend: [0.7, 0.3], colour: 'content', jitterRotate: 5 });
    expect(style.dream.seed).toBe(1);
    const zoom = settingsFrom(['zoom', '--zoom', '1.05', '--rotate', '-1', '--drift-x', '2', '--drift-y', '-3', '--colour-guard', '0.4', '--wander', '1', '--mask-outside', 'other', '--outside-layers', 'mixed2']);
    expect(zoom.stream).toMatchObject({ zoom: 1.05, rotate: -1, driftX: 2, driftY: -3, colourGuard: 0.4, wander: 1 });
    expect(zoom.mask).toEqual({ outside: 'other', outsideLayers: [{ name: 'mixed2', weight: 1 }] });
    expect(parse(['zoom', '--frames', '3', '--steps-per-frame', '2', '--output-dir', 'd']).values).toMatchObject({ frames: '3', 'steps-per-frame': '2', 'output-dir': 'd' });
  });

  it('checks a value with the schema, the message naming the flag as typed', () => {
    expect(() => settingsFrom(['dream', '--dream-step-size', '9'])).toThrow(/^--dream-step-size: dream\.stepSize must be a number from 0\.0001 to 1 \(got 9\)$/);
    expect(() => settingsFrom(['dream', '--octaves', '2.5'])).toThrow(/^--octaves: dream\.octaves must be an integer from 1 to 8 \(got 2\.5\)$/);
    expect(() => settingsFrom(['dream', '--objective', 'max'])).toThrow(/^--objective: dream\.objective must be one of l2, mean \(got "max"\)$/);
    expect(() => parse(['dream', '--jitter', 'lots'])).toThrow(/^--jitter must be a number \(got "lots"\)$/);
    expect(() => parse(['style', '--style-blend', '1,'])).toThrow(/^--style-blend must be numbers separated by commas/);
  });

  it('refuses old spellings that cannot stay with the one to use', () => {
    expect(() => parse(['style', '--preserve-colour'])).toThrow(/^--preserve-colour: use --colour content$/);
    expect(() => parse(['zoom', '--steps', '2'])).toThrow(/zoom takes --steps-per-frame/);
    expect(() => parse(['video', '--octaves', '2'])).toThrow(/--octaves is not an option of video/);
    // The stream's pull toward a source frame: no command has one, so no command takes it.
    expect(() => parse(['zoom', '--blend', '0.5'])).toThrow(/^unknown option --blend/);
  });

  it('generates the usage from the same tables: every name a command takes is in it', () => {
    for (const command of COMMAND_NAMES) for (const [name, n] of settingNames(command)) if (!n.negated) expect(USAGE, name).toMatch(new RegExp(`--${name}[ ,)]`));
    for (const name of Object.keys(OPTIONS)) expect(USAGE).toContain(`--${name}`);
    expect(USAGE).toMatch(/^usage:/);
    expect(USAGE).toMatch(/--step-size X +0\.0001–1, default 0\.03 \(--dream-step-size\)/);
  });
});
