/**
 * The render CLI's lens commands: feature visualisations of a layer's channels as one sheet, a picture's saliency
 * as a heat map over it, and the first convolution's learned filters. Each PNG carries its look.
 */
import * as tf from '@tensorflow/tfjs';
import { featureVisRenderer } from '../engine/lens/atlas';
import { filterGrid } from '../engine/lens/filters';
import { targetLabel } from '../engine/lens/targets';
import { layoutGrid } from '../engine/lens/grid';
import { overlay, saliency, toPixels } from '../engine/lens/saliency';
import type { RgbPixels } from '../engine/lens/types';
import { pixelsToModel } from '../engine/image/convert';
import type { ModelRunner } from '../engine/model/runner';
import { lookChunks } from '../engine/params/look';
import type { Settings } from '../engine/params/settings';
import type { LensView } from '../engine/modes/catalog';
import { loadImage, rgbToTensor, writeImage } from '../node/image-io';
import { count, required, size as sizeArg, UsageError, type CliArgs } from './args';
import { outputFile } from './paths';
import { settingsOf } from './settings-flags';
import { lensTarget } from '../engine/modes/lens/target';

type Start = () => Promise<ModelRunner>;

/** A channel list: "5", "0-15" or "3,7,40" (ranges allowed inside a list), each checked against the layer. */
export function parseChannels(text: string, channels: number, layer: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new UsageError(`--channels takes N, A-B or a list of them (got "${text}")`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--channels: ${a}-${b} runs backwards`);
    if (b >= channels) throw new UsageError(`--channels: ${layer} has channels 0-${channels - 1} (got ${b})`);
    for (let c = a; c <= b; c++) out.push(c);
  }
  if (out.length > 256) throw new UsageError(`--channels: at most 256 channels a sheet (got ${out.length})`);
  return out;
}

async function savePixels(path: string, pixels: RgbPixels, settings: Settings): Promise<void> {
  const t = tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32');
  try {
    await writeImage(path, t, outputFile(path), lookChunks({ settings }));
  } finally {
    t.dispose();
  }
}

/** The output (checked before any work) and the lens settings of a lens command, its view named in the look. */
function lensJob(args: CliArgs, view: LensView): { output: string; settings: Settings } {
  const output = required(args.values, 'output');
  outputFile(output);
  return { output, settings: settingsOf(args.settings, { mode: 'lens', 'lens.view': view }) };
}

/** `features`: each channel grown from noise (activation maximisation), a sheet of them, 4 channels a batch. */
export async function runFeatures(args: CliArgs, start: Start, report: (line: Record<string, unknown>) => void): Promise<void> {
  const { output, settings } = lensJob(args, 'atlas');
  const side = sizeArg(args.values, 64, 512, ' (a tile of the sheet)')?.width ?? 128;
  const steps = count(args.values, 'iterations', 256, 1, 5000);
  const runner = await start();
  const layer = settings.lens.layer;
  const channels = parseChannels(typeof args.values.channels === 'string' ? args.values.channels : '0-15', runner.channels(layer), layer);
  // Each channel of the sheet as the settings say: alone, its centre neuron, or mixed with --mix-with.
  const render = featureVisRenderer(runner, {}, (_, c) => lensTarget(settings.lens, c));
  const tiles: RgbPixels[] = [];
  for (let i = 0; i < channels.length; i += 4) {
    const batch = channels.slice(i, i + 4);
    const t0 = performance.now();
    tiles.push(...(await render(layer, batch, side, steps)));
    report({ layer, channels: batch, target: batch.map((c) => targetLabel(lensTarget(settings.lens, c))), steps, ms: Math.round(performance.now() - t0) });
  }
  const sheet = layoutGrid(tiles, { columns: Math.min(8, tiles.length), gap: 4 });
  await savePixels(output, sheet.pixels, settings);
  report({ output, layer, channels: channels.length, steps, width: sheet.pixels.width, height: sheet.pixels.height });
}

/** `saliency`: where the picture makes the channel (or the layer) fire, as a heat map over it. */
export async function runSaliency(args: CliArgs, start: Start, report: (line: Record<string, unknown>) => void): Promise<void> {
  const { output, settings } = lensJob(args, 'saliency');
  const size = sizeArg(args.values, 75, 2048);
  const image = await loadImage(required(args.values, 'input'), size ? (size.width === size.height ? { square: size.width } : size) : { maxSide: 512 });
  const runner = await start();
  const { layer, channel, method, samples, overlay: alpha } = settings.lens;
  const x = tf.tidy(() => pixelsToModel(rgbToTensor(image)));
  try {
    const t0 = performance.now();
    const heat = await saliency(runner, x, { layer, channel: channel >= 0 ? channel : undefined }, { method, samples });
    const picture = await toPixels(x);
    await savePixels(output, overlay(picture, heat, { alpha }), settings);
    report({ output, layer, channel, method, samples, width: image.width, height: image.height, ms: Math.round(performance.now() - t0) });
  } finally {
    x.dispose();
  }
}

/** `filters`: the first convolution's 32 learned filters, each normalised, eight to a row. */
export async function runFilters(args: CliArgs, start: Start, report: (line: Record<string, unknown>) => void): Promise<void> {
  const { output, settings } = lensJob(args, 'filters');
  const runner = await start();
  const grid = await filterGrid(runner, { scale: 16, gap: 4 });
  await savePixels(output, grid.pixels, settings);
  report({ output, filters: grid.tiles.length, width: grid.pixels.width, height: grid.pixels.height });
}
