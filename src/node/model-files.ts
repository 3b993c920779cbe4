import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_DIR, parseArtifacts, weightsFileName } from '../engine/model/artifacts';
import type { ModelArtifacts } from '../engine/model/types';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads the model assets that `npm install` generated into public/. */
export function loadArtifactsFromDisk(dir = join(PROJECT_ROOT, 'public', MODEL_DIR)): ModelArtifacts {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) {
    throw new Error(`model assets missing at ${dir}: run \`npm install\` (or node scripts/build-model-assets.mjs)`);
  }
  const json: unknown = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const bytes = readFileSync(join(dir, weightsFileName(json)));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return parseArtifacts(json, weightData as ArrayBuffer);
}
