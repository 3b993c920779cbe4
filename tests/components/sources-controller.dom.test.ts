// @vitest-environment happy-dom
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourcesController, type SourcesPorts } from '../../src/components/controllers/sources-controller';
import { DEFAULT_STYLE, SAMPLES } from '../../src/components/look/samples';
import { addTextChunks } from '../../src/engine/io/png-text';
import { lookChunks, withLook } from '../../src/engine/params/look';
import { DEFAULT_SETTINGS, settings as parseSettings, type Settings } from '../../src/engine/params/settings';
import { newHost } from './controller-host';

const tinyPng = () => new Uint8Array(PNG.sync.write(new PNG({ width: 2, height: 2 })));

/** A sources controller whose worker records what it was sent; fetch serves samples unless told to fail. */
function setup(opts: { unattended?: boolean; failing?: string[]; settings?: Settings } = {}) {
  let current = opts.settings ?? DEFAULT_SETTINGS;
  const sent: { role: string; name: string; blob: Blob }[] = [];
  const notices: { message: string; kind?: string }[] = [];
  const changed = vi.fn();
  const masks: (string | undefined)[] = [];
  const fetched: string[] = [];
  const ports: SourcesPorts = {
    send: async (role, blob, name) => {
      if ((await blob.text()) === 'broken') throw new Error('that file is not an image');
      sent.push({ role, name, blob });
    },
    sendCameraFrame: () => undefined,
    settings: () => current,
    applySettings: (next) => (current = next),
    restoreMask: (m) => masks.push(m),
    changed,
    notify: (message, kind) => notices.push({ message, kind }),
    unattended: () => opts.unattended ?? false,
    scope: () => 'element',
  };
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(url);
    return (opts.failing ?? []).includes(url) ? new Response('', { status: 404 }) : new Response(new Blob([`picture ${url}`]));
  });
  const host = newHost();
  const sources = new SourcesController(host, ports);
  return { sources, sent, notices, changed, settings: () => current, masks, fetched };
}

const sampleUrl = (id: string) => SAMPLES.find((x) => x.id === id)!.url;

afterEach(() => vi.unstubAllGlobals());

describe('SourcesController: one path from any picture to the worker', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => (s = setup()));

  it('a sample is sent, marked, and the URL follows', async () => {
    await s.sources.loadSample('content', 'coffee');
    expect(s.sent.map((x) => [x.role, x.name])).toEqual([['content', 'Coffee']]);
    expect(s.sources.samples()).toEqual({ content: 'coffee', style: DEFAULT_STYLE });
    expect(s.sources.activeContent('dream')).toBe('coffee');
    expect(s.changed).toHaveBeenCalledTimes(1);
  });

  it("the user's own picture replaces the sample: no thumbnail marked, no link names a sample for it", async () => {
    await s.sources.loadFile(new Blob(['pixels']), 'content', 'red.png');
    expect(s.sent.map((x) => [x.role, x.name])).toEqual([['content', 'red.png']]);
    expect(s.sources.activeContent('dream')).toBe('');
    expect(s.sources.samples()).toEqual({ content: undefined, style: DEFAULT_STYLE });
    expect(s.sources.ownPictures()).toEqual(['red.png']);
    // Picking a sample again makes it the sample's once more.
    await s.sources.loadSample('content', 'chelsea');
    expect(s.sources.ownPictures()).toEqual([]);
  });

  it('a file that is not a picture is reported by its name and changes nothing', async () => {
    await s.sources.loadFile(new Blob(['broken']), 'content', 'broken.png');
    expect(s.notices).toEqual([{ message: 'broken.png: that file is not an image', kind: 'error' }]);
    expect(s.sources.ownPictures()).toEqual([]);
    expect(s.changed).not.toHaveBeenCalled();
  });

  it('a guide picture switches a zero guide weight on', async () => {
    await s.sources.loadFile(new Blob(['pixels']), 'guide', 'brick.jpg');
    expect(s.settings().dream.guideWeight).toBe(1);
    expect(s.sent.map((x) => x.role)).toEqual(['guide']);
  });
});

describe('SourcesController: a dreamstream PNG restores its look', () => {
  it('settings and the style sample it names; the PNG stays the content picture', async () => {
    const s = setup();
    const look = { settings: parseSettings({ mode: 'style', stream: { zoom: 1.037 } }), content: 'astronaut', style: 'hubble' };
    const png = new Blob([withLook(tinyPng(), look) as BlobPart], { type: 'image/png' });
    await s.sources.loadFile(png, 'content', 'snap.png');
    expect(s.settings().stream.zoom).toBe(1.037);
    expect(s.settings().mode).toBe('style');
    // The style sample the look names follows on its own.
    await vi.waitFor(() =>
      expect(s.sent.map((x) => [x.role, x.name])).toEqual([
        ['content', 'snap.png'],
        ['style', 'Hubble deep field'],
      ]),
    );
    expect(s.sources.samples()).toEqual({ content: undefined, style: 'hubble' });
    expect(s.notices.map((n) => n.message)).toContain('look restored from the snapshot');
    // A snapshot without a mask restores a look that applies everywhere.
    expect(s.masks).toEqual([undefined]);
  });

  it("the CLI's first renders (no version, mode and parameters) restore too", async () => {
    const s = setup();
    const cli = { dreamstream: JSON.stringify({ mode: 'zoom', dream: { stepSize: 0.05 }, stream: { zoom: 1.02 } }) };
    const png = new Blob([addTextChunks(tinyPng(), cli) as BlobPart], { type: 'image/png' });
    await s.sources.loadFile(png, 'content', 'render.png');
    expect(s.settings().mode).toBe('dream');
    expect(s.settings().dream.stepSize).toBe(0.05);
    expect(s.settings().stream.zoom).toBe(1.02);
  });

  it('a look this app cannot read is said so, and the picture is used all the same', async () => {
    const s = setup();
    const chunks = lookChunks({ settings: DEFAULT_SETTINGS });
    const newer = { ...chunks, dreamstream: JSON.stringify({ dreamstream: 99, settings: {} }) };
    const png = new Blob([addTextChunks(tinyPng(), newer) as BlobPart], { type: 'image/png' });
    await s.sources.loadFile(png, 'content', 'future.png');
    expect(s.notices[0]!.message).toMatch(/^future\.png: its look could not be read \(.*version 99/);
    expect(s.sent.map((x) => x.name)).toEqual(['future.png']);
    expect(s.settings()).toEqual(DEFAULT_SETTINGS);
  });

  it('a PNG picked as the style picture keeps its place: the look restores no style sample over it', async () => {
    const s = setup();
    const png = new Blob([withLook(tinyPng(), { settings: DEFAULT_SETTINGS, style: 'brick' }) as BlobPart]);
    await s.sources.loadFile(png, 'style', 'snap.png');
    // A sample loaded over it would have been fetched by now (loading starts with the fetch): none was.
    expect(s.fetched).toEqual([]);
    expect(s.sent.map((x) => [x.role, x.name])).toEqual([['style', 'snap.png']]);
  });
});

describe('SourcesController: fallbacks', () => {
  it('a src URL that fails falls back to the content sample', async () => {
    const s = setup({ failing: ['photo.jpg'] });
    await s.sources.loadUrl('photo.jpg');
    expect(s.notices[0]).toEqual({ message: 'photo.jpg: HTTP 404; dreaming on a sample instead', kind: 'error' });
    await vi.waitFor(() => expect(s.sent.map((x) => x.name)).toEqual(['Chelsea the cat']));
    expect(s.fetched).toEqual(['photo.jpg', sampleUrl('chelsea')]);
  });

  it('unattended, a failed sample is replaced by the next of its role; attended it is only reported', async () => {
    const chelsea = sampleUrl('chelsea');
    const kiosk = setup({ unattended: true, failing: [chelsea] });
    await kiosk.sources.loadSample('content', 'chelsea');
    await vi.waitFor(() => expect(kiosk.sent.map((x) => x.name)).toEqual(['Coffee']));
    expect(kiosk.sources.samples().content).toBe('coffee');
    expect(kiosk.fetched).toEqual([chelsea, sampleUrl('coffee')]);

    const person = setup({ failing: [chelsea] });
    await person.sources.loadSample('content', 'chelsea');
    // A replacement would have been fetched by now (loading starts with the fetch): none was.
    expect(person.fetched).toEqual([chelsea]);
    expect(person.sent).toEqual([]);
    expect(person.notices).toEqual([{ message: 'sample "Chelsea the cat" could not be loaded: HTTP 404', kind: 'error' }]);
  });
});
