/**
 * The upscale, before and after: a crop of a working-size frame (the cat sample at a wasm working size, 256 px) as
 * the stage shows it at 6×: nearest (the frame's pixels), bilinear (before: the compositor stretched the frame),
 * the 2D canvas's 'high' smoothing (measured: no sharper than bilinear, so not used) and Catmull-Rom (after: the
 * worker paints at the stage's size, resized on the device on WebGPU and on the CPU on wasm). Prints a sharpness figure for each (mean gradient magnitude of the crop, in grey
 * levels per pixel) and writes docs/ui/upscale-6x.png.
 *
 *   npx tsx scripts/upscale-sheet.ts
 */
import * as tf from '@tensorflow/tfjs';
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { encodePng, readImage } from '../src/node/image-io';
import { cubicResize } from '../src/workers/upscale';

const SCALE = 6;
const CROP = { x: 120, y: 52, width: 64, height: 48 };

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const photo = readImage('public/samples/chelsea.jpg');
  const [h, w] = photo.shape;
  const small = tf.tidy(() => tf.image.resizeBilinear(photo, [Math.round((256 * h) / w), 256], false, true).round() as tf.Tensor3D);
  const crop = small.slice([CROP.y, CROP.x, 0], [CROP.height, CROP.width, 3]);
  // The crop with a 2-pixel margin, so the cubic's taps at the crop's edge see the frame's pixels, not a clamp.
  const padded = small.slice([CROP.y - 2, CROP.x - 2, 0], [CROP.height + 4, CROP.width + 4, 3]);
  const cubicPadded = tf.tidy(() => cubicResize(padded, (CROP.height + 4) * SCALE, (CROP.width + 4) * SCALE).clipByValue(0, 255).round() as tf.Tensor3D);
  const cubic = cubicPadded.slice([2 * SCALE, 2 * SCALE, 0], [CROP.height * SCALE, CROP.width * SCALE, 3]);
  const frameUrl = `data:image/png;base64,${(await encodePng(small)).toString('base64')}`;
  const cubicUrl = `data:image/png;base64,${(await encodePng(cubic)).toString('base64')}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // tsx keeps function names with a helper the page does not have.
    await page.evaluate('window.__name = (f) => f');
    const result = await page.evaluate(
      async ({ frameUrl, cubicUrl, crop, scale }) => {
        const load = async (url: string) => createImageBitmap(await (await fetch(url)).blob());
        const frame = await load(frameUrl);
        const cubic = await load(cubicUrl);
        const W = crop.width * scale;
        const H = crop.height * scale;
        const panel = (draw: (ctx: CanvasRenderingContext2D) => void) => {
          const c = document.createElement('canvas');
          c.width = W;
          c.height = H;
          const ctx = c.getContext('2d')!;
          draw(ctx);
          return c;
        };
        // The way the page shows a working-size canvas stretched to the stage: the frame's pixels drawn at the scale.
        const stretched = (smoothing: boolean, quality: ImageSmoothingQuality) =>
          panel((ctx) => {
            ctx.imageSmoothingEnabled = smoothing;
            ctx.imageSmoothingQuality = quality;
            // The whole frame scaled, then the crop's part: the filter sees the neighbours as on the stage.
            ctx.drawImage(frame, -crop.x * scale, -crop.y * scale, frame.width * scale, frame.height * scale);
          });
        const panels: [string, HTMLCanvasElement][] = [
          ['nearest (the working frame’s pixels)', stretched(false, 'low')],
          ['before: bilinear (the page stretched the frame)', stretched(true, 'low')],
          ["2D 'high' smoothing (not used)", stretched(true, 'high')],
          ['after: Catmull-Rom (the worker paints it)', panel((ctx) => ctx.drawImage(cubic, 0, 0))],
        ];
        const sharpness = (c: HTMLCanvasElement) => {
          const { data } = c.getContext('2d')!.getImageData(0, 0, W, H);
          const g = (x: number, y: number) => (data[(y * W + x) * 4]! + data[(y * W + x) * 4 + 1]! + data[(y * W + x) * 4 + 2]!) / 3;
          let sum = 0;
          for (let y = 0; y < H - 1; y++) for (let x = 0; x < W - 1; x++) sum += Math.hypot(g(x + 1, y) - g(x, y), g(x, y + 1) - g(x, y));
          return sum / ((W - 1) * (H - 1));
        };
        const gap = 8;
        const top = 24;
        const sheet = document.createElement('canvas');
        sheet.width = panels.length * W + (panels.length - 1) * gap;
        sheet.height = H + top;
        const ctx = sheet.getContext('2d')!;
        ctx.fillStyle = '#111';
        ctx.fillRect(0, 0, sheet.width, sheet.height);
        const figures: Record<string, number> = {};
        panels.forEach(([label, c], i) => {
          const s = sharpness(c);
          figures[label] = Math.round(s * 100) / 100;
          ctx.drawImage(c, i * (W + gap), top);
          ctx.fillStyle = '#eee';
          ctx.font = '13px sans-serif';
          ctx.fillText(`${label} · ${s.toFixed(2)}`, i * (W + gap) + 4, 16);
        });
        return { png: sheet.toDataURL('image/png'), figures };
      },
      { frameUrl, cubicUrl, crop: CROP, scale: SCALE },
    );
    writeFileSync('docs/ui/upscale-6x.png', Buffer.from(result.png.split(',')[1]!, 'base64'));
    console.log(`docs/ui/upscale-6x.png: a ${CROP.width}×${CROP.height} crop of a 256 px frame at ${SCALE}×; mean gradient (grey levels/px):`);
    for (const [label, v] of Object.entries(result.figures)) console.log(`  ${v.toFixed(2)}  ${label}`);
  } finally {
    await browser.close();
    tf.dispose([photo, small, crop, padded, cubicPadded, cubic]);
  }
}

void main();
