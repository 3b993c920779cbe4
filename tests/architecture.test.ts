/**
 * The layering the README describes, checked against every import in src/: the engine at the bottom (no DOM, runs
 * in Node), the worker on top of it, the components speaking to the worker only through its protocol, the CLI and
 * its Node adapters beside the worker. An import that crosses a line fails here with the file and the import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES } from '../src/engine/modes/catalog';
import { PROJECT_ROOT } from '../src/node/model-files';

const SRC = join(PROJECT_ROOT, 'src');

type Layer = 'engine' | 'workers' | 'components' | 'cli' | 'node';

/** What each layer may import: project folders (paths under src/, a prefix) and packages (a prefix). */
const RULES: Record<Layer, { project: string[]; packages: string[] }> = {
  engine: { project: ['engine/'], packages: ['@tensorflow/tfjs', 'zod'] },
  workers: { project: ['engine/', 'workers/'], packages: ['@tensorflow/tfjs', 'zod', 'mediabunny'] },
  // The page never runs the network: it knows the settings vocabulary, the modes' abouts (their catalog), PNG text
  // chunks, the live sound analysis (plain numbers) and the protocol.
  components: {
    project: ['components/', 'engine/params/', 'engine/io/', 'engine/audio/', 'engine/modes/catalog', 'workers/protocol'],
    packages: ['lit', 'zod', '@tensorflow/tfjs-backend-wasm/dist/'],
  },
  cli: { project: ['cli/', 'engine/', 'node/'], packages: ['@tensorflow/tfjs', 'node:'] },
  node: { project: ['node/', 'engine/'], packages: ['@tensorflow/tfjs', 'node:', 'sharp', 'pngjs', 'jpeg-js', 'webgpu', '@ffmpeg-installer/ffmpeg'] },
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Import specifiers: static imports and re-exports, and import() of a string literal. */
function importsOf(text: string): string[] {
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms), ...text.matchAll(/^\s*import\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return found.map((m) => m[1]!);
}

/** Source text without comments and string contents, so a message or a doc comment naming `window` is not a use of it. */
const code = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");

const files = sources(SRC).map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const layerOf = (rel: string) => rel.split('/')[0] as Layer;

describe('architecture', () => {
  for (const layer of Object.keys(RULES) as Layer[]) {
    it(`${layer} imports only what its layer may`, () => {
      const rule = RULES[layer];
      const bad: string[] = [];
      const own = files.filter((f) => layerOf(f.rel) === layer);
      expect(own.length).toBeGreaterThan(0);
      for (const f of own) {
        for (const spec of importsOf(f.text)) {
          if (spec.startsWith('.')) {
            const target = relative(SRC, resolve(dirname(f.path), spec));
            if (!rule.project.some((p) => target.startsWith(p))) bad.push(`${f.rel} → ${target}`);
          } else if (!rule.packages.some((p) => spec.startsWith(p))) bad.push(`${f.rel} → ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('the engine uses no DOM or worker globals (it runs under Node)', () => {
    const dom = /\b(document|window|self|navigator|OffscreenCanvas|ImageBitmap|HTMLElement|HTMLCanvasElement|ImageData|postMessage)\b/;
    const bad = files.filter((f) => layerOf(f.rel) === 'engine').flatMap((f) => code(f.text).split('\n').filter((l) => dom.test(l)).map((l) => `${f.rel}: ${l.trim()}`));
    expect(bad).toEqual([]);
  });

  it('what the page may import of the engine (params, io, audio, the modes\' catalog) reaches no tfjs, however deep', () => {
    const byRel = new Map(files.map((f) => [f.rel, f]));
    const pageSafe = files.filter((f) => /^engine\/(params|io|audio)\//.test(f.rel) || f.rel === 'engine/modes/catalog.ts').map((f) => f.rel);
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (rel: string, via: string[]) => {
      if (seen.has(rel)) return;
      seen.add(rel);
      const f = byRel.get(rel);
      if (!f) return;
      for (const spec of importsOf(f.text)) {
        if (!spec.startsWith('.')) {
          if (spec.startsWith('@tensorflow')) bad.push([...via, rel, spec].join(' → '));
          continue;
        }
        const target = relative(SRC, resolve(dirname(f.path), spec));
        visit(byRel.has(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`, [...via, rel]);
      }
    };
    for (const rel of pageSafe) visit(rel, []);
    expect(seen.size).toBeGreaterThan(pageSafe.length);
    expect(bad).toEqual([]);
  });

  it('nothing outside a mode\'s own folder asks which mode runs or which session it holds', () => {
    // A mode is its folder under engine/modes and its panel section (components/panels): everywhere else reads
    // the mode's about or asks the registry, so a new mode touches no other file.
    const names = MODES.join('|');
    const modeTest = new RegExp(`\\bmode\\s*[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==\\s*[\\w.]*mode\\b`);
    const sessionTest = /instanceof\s+(DreamSession|StreamSession|StyleSession|StyleRegions|DreamMode|StyleMode|WebcamMode)\b/;
    const bad = files
      .filter((f) => !f.rel.startsWith('engine/modes/') && !f.rel.startsWith('components/panels/'))
      .flatMap((f) => f.text.split('\n').filter((l) => modeTest.test(l) || sessionTest.test(l)).map((l) => `${f.rel}: ${l.trim()}`));
    expect(bad).toEqual([]);
  });

  it('controllers import no element files: importing a controller registers no custom element', () => {
    const elements = new Set(files.filter((f) => /@customElement\(/.test(f.text)).map((f) => f.rel));
    const bad = files
      .filter((f) => f.rel.startsWith('components/controllers/'))
      .flatMap((f) => importsOf(f.text).filter((spec) => spec.startsWith('.')).map((spec) => relative(SRC, resolve(dirname(f.path), spec)) + '.ts').filter((target) => elements.has(target)).map((target) => `${f.rel} → ${target}`));
    expect(elements.size).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  });

  it('the components run no tensors: tfjs itself stays in the worker', () => {
    const bad = files.filter((f) => layerOf(f.rel) === 'components' && /from '@tensorflow\/tfjs'/.test(f.text)).map((f) => f.rel);
    expect(bad).toEqual([]);
  });
});
