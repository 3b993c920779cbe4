import type { ModelArtifacts } from './types';

/** Where the build script puts the model, relative to the site root (and to public/ on disk). */
export const MODEL_DIR = 'models/inception_v3';

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: ModelArtifacts['weightSpecs'] }[];
}

/** Validates a model.json + weight bytes pair; shared by the browser (fetch) and Node (fs) loaders. */
export function parseArtifacts(json: unknown, weightData: ArrayBuffer): ModelArtifacts {
  const m = json as ModelJson;
  if (!m || typeof m !== 'object' || !m.modelTopology || !Array.isArray(m.weightsManifest)) {
    throw new Error('model.json is not a Keras layers model (run `npm install` to rebuild the model assets)');
  }
  const weightSpecs = m.weightsManifest.flatMap((g) => g.weights);
  return { modelTopology: m.modelTopology as ModelArtifacts['modelTopology'], weightSpecs, weightData };
}

/** The single weights file the build script writes. */
export function weightsFileName(json: unknown): string {
  const paths = (json as ModelJson).weightsManifest?.flatMap((g) => g.paths) ?? [];
  if (paths.length !== 1) throw new Error(`model.json lists ${paths.length} weight files; expected 1`);
  return paths[0]!;
}
