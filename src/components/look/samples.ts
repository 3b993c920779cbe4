/** Built-in sources, served from public/samples (provenance and licences in public/samples/PROVENANCE.md). */
export interface Sample {
  id: string;
  name: string;
  /** Relative to the page. */
  url: string;
  role: 'content' | 'style';
  credit: string;
}

const sample = (id: string, name: string, role: Sample['role'], credit: string): Sample => ({ id, name, url: `samples/${id}.jpg`, role, credit });

export const SAMPLES: Sample[] = [
  sample('chelsea', 'Chelsea the cat', 'content', 'Stefan van der Walt, CC0 (scikit-image)'),
  sample('coffee', 'Coffee', 'content', 'Rachel Michetti, CC0 (scikit-image)'),
  sample('astronaut', 'Astronaut', 'content', 'NASA, public domain (scikit-image)'),
  sample('rocket', 'Rocket', 'content', 'SpaceX, public domain (scikit-image)'),
  sample('starry-night', 'The Starry Night', 'style', 'Vincent van Gogh, 1889, public domain (opencv-doc)'),
  sample('scream', 'The Scream', 'style', 'Edvard Munch, 1893, public domain (darknet)'),
  sample('waves', 'Waves', 'style', 'generated for dreamstream, CC0'),
  sample('hubble', 'Hubble deep field', 'style', 'NASA, public domain (scikit-image)'),
  sample('brick', 'Brick', 'style', 'CC0 Textures, CC0 (scikit-image)'),
  sample('gravel', 'Gravel', 'style', 'CC0 Textures, CC0 (scikit-image)'),
  sample('grass', 'Grass', 'style', 'CC0 Textures, CC0 (scikit-image)'),
];

export const DEFAULT_CONTENT = 'chelsea';
export const DEFAULT_STYLE = 'starry-night';

export function findSample(id: string): Sample | undefined {
  return SAMPLES.find((s) => s.id === id);
}
