// Produces the same-origin model assets (public/models/inception_v3/{model.json,weights.bin}) from the
// InceptionV3 shipped inside the installed nsfwjs npm package. Nothing is fetched: the package's UMD shards are
// base64 strings, decoded here, and only the trunk up to the deepest layer the app uses is kept.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const LAST_LAYER = 'mixed7';
const outDir = join(root, 'public', 'models', 'inception_v3');

// The package's exports map hides dist/, so locate the folder from its package.json.
let pkgDir = dirname(require.resolve('nsfwjs'));
while (!existsSync(join(pkgDir, 'package.json')) || JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name !== 'nsfwjs') {
  pkgDir = dirname(pkgDir);
}
const pkgJson = join(pkgDir, 'package.json');
const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
const srcDir = join(dirname(pkgJson), 'dist', 'models', 'inception_v3');

const stamp = `nsfwjs@${pkg.version}:${LAST_LAYER}`;
const stampFile = join(outDir, 'SOURCE');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp && existsSync(join(outDir, 'weights.bin'))) {
  process.exit(0);
}

const artifacts = require(join(srcDir, 'model.min.js'));
const config = artifacts.modelTopology.model_config.config;
const byName = new Map(config.layers.map((l) => [l.name, l]));

// Keep the ancestors of LAST_LAYER, in the original (topological) order.
const keep = new Set();
const stack = [LAST_LAYER];
while (stack.length) {
  const name = stack.pop();
  if (keep.has(name)) continue;
  keep.add(name);
  for (const node of byName.get(name).inbound_nodes) for (const [src] of node) stack.push(src);
}
const layers = config.layers.filter((l) => keep.has(l.name));

const manifest = artifacts.weightsManifest;
const shardCount = manifest.reduce((n, g) => n + g.paths.length, 0);
const shards = [];
for (let i = 1; i <= shardCount; i++) {
  const b64 = require(join(srcDir, `group1-shard${i}of${shardCount}.min.js`));
  shards.push(Buffer.from(b64, 'base64'));
}
const all = Buffer.concat(shards);

const BYTES = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };
const kept = [];
const chunks = [];
let offset = 0;
for (const group of manifest) {
  for (const w of group.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const size = n * BYTES[w.quantization ? w.quantization.dtype : w.dtype];
    const layerName = w.name.split('/')[0];
    if (keep.has(layerName)) {
      kept.push(w);
      chunks.push(all.subarray(offset, offset + size));
    }
    offset += size;
  }
}
if (offset !== all.length) throw new Error(`weights manifest covers ${offset} bytes, shards hold ${all.length}`);

const topology = structuredClone(artifacts.modelTopology);
topology.model_config.config.layers = layers;
topology.model_config.config.output_layers = [[LAST_LAYER, 0, 0]];
const weights = Buffer.concat(chunks);

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'weights.bin'), weights);
writeFileSync(
  join(outDir, 'model.json'),
  JSON.stringify({
    format: 'layers-model',
    generatedBy: `dreamstream scripts/build-model-assets.mjs from ${stamp}`,
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: kept }],
  }),
);
writeFileSync(stampFile, stamp + '\n');
console.log(`model assets: ${layers.length} layers to ${LAST_LAYER}, ${(weights.length / 1e6).toFixed(1)} MB -> ${outDir}`);
