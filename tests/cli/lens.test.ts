/**
 * The render CLI's lens commands, run as a person runs them: each writes a PNG of the right shape whose look
 * names the lens and what it looked at; a bad channel list is one line.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseChannels } from '../../src/cli/lens';
import { lookFromPng } from '../../src/engine/params/look';
import { FIXTURES } from '../helpers/engine';
import { renderCli as render } from '../helpers/render-cli';

const out = mkdtempSync(join(tmpdir(), 'lens-cli-'));

/** The PNG's size and the look it carries. */
async function written(path: string) {
  const bytes = readFileSync(path);
  const { width, height } = await sharp(bytes).metadata();
  return { width, height, look: lookFromPng(new Uint8Array(bytes))! };
}

describe('render CLI: the lens', () => {
  it('parses a channel list: single channels, ranges and lists, checked against the layer', () => {
    expect(parseChannels('5', 288, 'mixed2')).toEqual([5]);
    expect(parseChannels('0-3,10', 288, 'mixed2')).toEqual([0, 1, 2, 3, 10]);
    expect(() => parseChannels('3-1', 288, 'mixed2')).toThrow('--channels: 3-1 runs backwards');
    expect(() => parseChannels('0-300', 288, 'mixed2')).toThrow('--channels: mixed2 has channels 0-287 (got 300)');
    expect(() => parseChannels('a', 288, 'mixed2')).toThrow('--channels takes N, A-B or a list of them (got "a")');
  });

  it('filters: the 32 first-layer filters, eight to a row, the look naming the view', async () => {
    const path = join(out, 'filters.png');
    const r = await render(['filters', '--output', path]);
    expect(r.code, r.stderr).toBe(0);
    const { width, height, look } = await written(path);
    // 8 × 48 px tiles and 9 gaps of 4 px across; 4 rows down.
    expect([width, height]).toEqual([8 * 48 + 9 * 4, 4 * 48 + 5 * 4]);
    expect(look.settings.mode).toBe('lens');
    expect(look.settings.lens.view).toBe('filters');
  });

  it('saliency: a heat map over the picture at its size; the look names the layer, channel and method', async () => {
    const path = join(out, 'saliency.png');
    const r = await render(['saliency', '--input', join(FIXTURES, 'cat-128.png'), '--output', path, '--layer', 'mixed3', '--channel', '12', '--method', 'gradient', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { width, height, look } = await written(path);
    // The fixture's own size (128 × 85): the heat map lies over the picture as it is.
    expect([width, height]).toEqual([128, 85]);
    expect(look.settings.lens).toMatchObject({ view: 'saliency', layer: 'mixed3', channel: 12, method: 'gradient' });
  });

  it('features: a sheet of channels grown from noise; a channel the layer lacks is one line', async () => {
    const path = join(out, 'features.png');
    const r = await render(['features', '--output', path, '--layer', 'mixed3', '--channels', '0-1', '--iterations', '4', '--size', '64', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { width, height, look } = await written(path);
    expect([width, height]).toEqual([2 * 64 + 3 * 4, 64 + 2 * 4]);
    expect(look.settings.lens.layer).toBe('mixed3');
    const bad = await render(['features', '--output', path, '--layer', 'mixed3', '--channels', '900']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('render: --channels: mixed3 has channels 0-767 (got 900)');
  });

  it('features --target mix: each channel mixed with --mix-with, the look and the report naming the mix', async () => {
    const path = join(out, 'features-mix.png');
    const r = await render(['features', '--output', path, '--layer', 'mixed3', '--channels', '4', '--target', 'mix', '--mix-with', '12', '--mix-share', '0.25', '--iterations', '4', '--size', '64', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"target":["mixed3:0.75×4+0.25×12"]');
    const { look } = await written(path);
    expect(look.settings.lens).toMatchObject({ layer: 'mixed3', target: 'mix', mixWith: 12, mixShare: 0.25 });
  });
});
