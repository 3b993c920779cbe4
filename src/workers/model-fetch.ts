import { parseArtifacts, weightsFileName } from '../engine/model/artifacts';
import { ModelRunner } from '../engine/model/runner';

/** Loads the same-origin model assets (generated at install/build time from the nsfwjs npm package). */
export async function fetchRunner(modelUrl: string): Promise<ModelRunner> {
  const base = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  const res = await fetch(`${base}model.json`);
  if (!res.ok) throw new Error(`model.json: HTTP ${res.status} (run npm install to build the model assets)`);
  const json: unknown = await res.json();
  const weights = await fetch(new URL(weightsFileName(json), base));
  if (!weights.ok) throw new Error(`model weights: HTTP ${weights.status}`);
  return ModelRunner.fromArtifacts(parseArtifacts(json, await weights.arrayBuffer()));
}
