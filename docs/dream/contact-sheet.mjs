// Builds a contact sheet from renders named <photo>-<layer>-<norm>.png in a folder:
// rows = photo × layer, columns = the norms, each cell at its rendered size, with a label strip on top.
// usage: node docs/dream/contact-sheet.mjs DIR OUT.png photo1,photo2 layer1,layer2 norm1,norm2
// (for zoom frames, name them <photo>-f<frame>-<norm>.png and pass the frames as the layers)
import sharp from 'sharp';
import { join } from 'node:path';

const [dir, out, photosArg, layersArg, normsArg] = process.argv.slice(2);
const photos = photosArg.split(',');
const layers = layersArg.split(',');
const norms = normsArg.split(',');
const LABEL = 22;
const GAP = 4;

const label = (text, width) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL}"><rect width="100%" height="100%" fill="#111"/>` +
      `<text x="6" y="16" font-family="DejaVu Sans, sans-serif" font-size="14" fill="#eee">${text}</text></svg>`,
  );

const first = await sharp(join(dir, `${photos[0]}-${layers[0]}-${norms[0]}.png`)).metadata();
const [w, h] = [first.width, first.height];
const rows = photos.flatMap((p) => layers.map((l) => [p, l]));
const cellH = h + LABEL;
const sheet = sharp({
  create: { width: norms.length * (w + GAP) - GAP, height: rows.length * (cellH + GAP) - GAP, channels: 3, background: '#000' },
});
const parts = [];
for (const [r, [p, l]] of rows.entries()) {
  for (const [c, n] of norms.entries()) {
    const left = c * (w + GAP);
    const top = r * (cellH + GAP);
    parts.push({ input: label(`${p} · ${l} · ${n}`, w), left, top });
    parts.push({ input: await sharp(join(dir, `${p}-${l}-${n}.png`)).resize(w, h).toBuffer(), left, top: top + LABEL });
  }
}
// A 256-colour palette keeps the sheet near a megabyte; at this size the dither is invisible.
await sheet.composite(parts).png({ compressionLevel: 9, effort: 10, palette: true, quality: 95, dither: 0.5 }).toFile(out);
console.log(`wrote ${out}`);
