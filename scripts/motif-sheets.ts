/**
 * The one-motif figure (src/engine/quality/motif.ts) on the stream judge's committed contact sheets: each cell (a
 * 128 px frame drawn at 200 px) is cut out, brought back to 128 px and read through the dream layer. Prints one
 * line per sheet row. The figures in docs/dream/README.md ("One motif everywhere") come from this.
 *
 *   npx tsx scripts/motif-sheets.ts [--size 128]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ModelRunner } from '../src/engine/model/runner';
import { MOTIF_LAYER, motifShare } from '../src/engine/quality/motif';
import { useNodeBackend } from '../src/node/backend';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../src/node/model-files';
import { GAP, LABEL_H } from './quality-shared';

const { values } = parseArgs({ options: { size: { type: 'string', default: '128' } } });
const SIZE = Number(values.size);
const CELL = 200;

/** A sheet, its rows' names and frame labels, and how many label lines each row has (older sheets: one). */
interface Sheet {
  file: string;
  rows: string[];
  frames: string[];
  labelLines: number;
}

const SHEETS: Sheet[] = [
  { file: 'stream-before-600.png', rows: ['graphic', 'night', 'text', 'chelsea', 'astronaut'], frames: ['0', '150', '300', '599'], labelLines: 1 },
  { file: 'stream-after-2000.png', rows: ['graphic', 'astronaut'], frames: ['0', '500', '1000', '1999'], labelLines: 2 },
  { file: 'stream-wander-2000.png', rows: ['chelsea (wander)'], frames: ['0', '500', '1000', '1999'], labelLines: 2 },
];

await useNodeBackend('wasm');
const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');

async function share(file: string, top: number, left: number): Promise<number> {
  const { data } = await sharp(join(PROJECT_ROOT, 'docs', 'dream', file)).extract({ left, top, width: CELL, height: CELL }).resize(SIZE, SIZE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const a = tf.tidy(() => runner.run(tf.tensor4d(Float32Array.from(data), [1, SIZE, SIZE, 3]).div(127.5).sub(1) as tf.Tensor4D, [MOTIF_LAYER])[MOTIF_LAYER]!);
  const [, height, width, channels] = a.shape;
  const out = motifShare({ height, width, channels, data: await a.data() });
  a.dispose();
  return out;
}

for (const sheet of SHEETS) {
  const rowH = sheet.labelLines * LABEL_H + CELL + GAP;
  for (const [i, name] of sheet.rows.entries()) {
    const top = LABEL_H + i * rowH + sheet.labelLines * LABEL_H;
    const shares: Record<string, number> = {};
    for (const [k, frame] of sheet.frames.entries()) shares[`frame ${frame}`] = Number((await share(sheet.file, top, GAP + k * (CELL + GAP))).toFixed(3));
    console.log(JSON.stringify({ sheet: sheet.file, picture: name, layer: MOTIF_LAYER, size: SIZE, ...shares }));
  }
}
runner.dispose();
