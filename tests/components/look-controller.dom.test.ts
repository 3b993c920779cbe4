// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LookController, type LookPorts } from '../../src/components/controllers/look-controller';
import type { SampleChoice } from '../../src/components/controllers/sources-controller';
import { decodeLook } from '../../src/engine/params/look';
import { DEFAULT_SETTINGS, settings as parseSettings } from '../../src/engine/params/settings';
import { newHost } from './controller-host';

function setup(query = '', samples: SampleChoice = { content: 'chelsea', style: 'waves' }, own: string[] = [], mask?: string) {
  const masks: (string | undefined)[] = [];
  history.replaceState(null, '', `/${query}`);
  const loaded: [string, string][] = [];
  const notices: { message: string; kind?: string }[] = [];
  const changes: [string, string][] = [];
  const ports: LookPorts = {
    urlState: () => true,
    attrs: () => ({}),
    settingsChanged: (prev, next) => changes.push([prev.mode, next.mode]),
    samples: () => samples,
    ownPictures: () => own,
    loadSample: (role, id) => loaded.push([role, id]),
    mask: () => mask,
    restoreMask: (m) => masks.push(m),
    notify: (message, kind) => notices.push({ message, kind }),
  };
  const host = newHost();
  const look = new LookController(host, ports);
  document.body.append(host);
  return { look, loaded, notices, changes, host, masks };
}

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const file = (text: string, name: string) => new File([text], name, { type: 'application/json' });

describe('LookController', () => {
  it("a preset keeps the room's sound mappings unless it maps sound itself (a kiosk playlist dances on)", () => {
    const { look } = setup('?audio.mappings=onset:stream.zoom:0.05');
    expect(look.settings.audio.mappings).toMatchObject([{ feature: 'onset', target: 'stream.zoom', amount: 0.05 }]);
    look.applyPresetId('spiral');
    expect(look.preset).toBe('spiral');
    expect(look.settings.audio.mappings).toMatchObject([{ feature: 'onset', target: 'stream.zoom', amount: 0.05 }]);
    look.applyPreset({ id: 'own', name: 'own', settings: { audio: { mappings: [{ feature: 'low', target: 'dream.stepSize', amount: 0.02 }] } } });
    expect(look.settings.audio.mappings).toMatchObject([{ feature: 'low', target: 'dream.stepSize' }]);
    look.applyPreset({ id: 'quiet', name: 'quiet', settings: { audio: { mappings: [] } } });
    expect(look.settings.audio.mappings).toEqual([]);
  });

  it('starts from the URL and says once what it ignored', () => {
    const { look, notices } = setup('?preset=spiral&zoom=1.05&bogus=1');
    expect(look.preset).toBe('spiral');
    expect(look.settings.stream.zoom).toBe(1.05);
    expect(notices).toEqual([{ message: expect.stringContaining('bogus (unknown parameter)'), kind: 'info' }]);
  });

  it('every change reaches its listeners and the URL, which names only the samples a link can carry', () => {
    const { look, changes } = setup('', { content: undefined, style: 'hubble' });
    look.apply(parseSettings({ mode: 'style' }));
    expect(changes).toEqual([['dream', 'style']]);
    expect(location.search).toContain('mode=style');
    expect(location.search).toContain('style=hubble');
    expect(location.search).not.toContain('content=');
  });

  it('a burst of edits (a knob, a held key) writes the URL at once and then the last edit, not every one', async () => {
    const { look } = setup();
    const writes = vi.spyOn(history, 'replaceState');
    for (let i = 1; i <= 30; i++) look.apply(parseSettings({ stream: { zoom: 1 + i / 1000 } }));
    expect(writes).toHaveBeenCalledTimes(1);
    expect(location.search).toContain('zoom=1.001');
    await vi.waitFor(() => expect(location.search).toContain('zoom=1.03'));
    expect(writes).toHaveBeenCalledTimes(2);
  });

  it('a preset brings its settings and its samples', () => {
    const { look, loaded, notices } = setup();
    look.applyPresetId('hubble-style');
    expect(look.preset).toBe('hubble-style');
    expect(look.settings.style.styleWeight).toBe(300);
    expect(loaded).toEqual([['content', 'astronaut'], ['style', 'hubble']]);
    expect(notices.at(-1)?.message).toBe('preset: Astronaut in deep space (style)');
  });

  it('current() is the look a snapshot or look file carries: no sample for an own picture', () => {
    const { look } = setup('', { content: undefined, style: 'waves' });
    expect(look.current()).toEqual({ settings: DEFAULT_SETTINGS, style: 'waves' });
  });

  it('a painted mask travels with the look, and an imported look puts its own back (none: the mask is cleared)', async () => {
    const mask = 'data:image/png;base64,iVBORw0KGgo=';
    const { look, masks } = setup('', { content: 'chelsea' }, [], mask);
    expect(look.current()).toEqual({ settings: DEFAULT_SETTINGS, content: 'chelsea', mask });
    await look.importFile(file(JSON.stringify({ dreamstream: 2, settings: {}, mask }), 'masked.json'));
    await look.importFile(file(JSON.stringify({ dreamstream: 2, settings: {} }), 'plain.json'));
    expect(masks).toEqual([mask, undefined]);
  });

  it('imports a look file of an older version, with its samples', async () => {
    const { look, loaded, notices } = setup();
    const v1 = JSON.stringify({ dreamstream: 1, settings: { mode: 'style', style: { styleWeight: 50 } }, content: 'coffee', style: 'brick' });
    await look.importFile(file(v1, 'old.json'));
    expect(look.settings.mode).toBe('style');
    expect(look.settings.style.styleWeight).toBe(50);
    expect(loaded).toEqual([['content', 'coffee'], ['style', 'brick']]);
    expect(notices.at(-1)).toEqual({ message: 'look imported', kind: 'info' });
  });

  it('a bad look file is refused by name, in the shared wording, and changes nothing', async () => {
    const { look, notices } = setup();
    await look.importFile(file(JSON.stringify({ dreamstream: 2, settings: { dream: { stepSize: 5 } } }), 'bad.json'));
    expect(notices.at(-1)?.kind).toBe('error');
    expect(notices.at(-1)?.message).toMatch(/^bad\.json: invalid look: dream\.stepSize must be .* \(got 5\)$/);
    await look.importFile(file('not json', 'x.json'));
    expect(notices.at(-1)?.message).toBe('x.json: not a JSON file');
    expect(look.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('exports the look in the current version of the codec', async () => {
    const { look } = setup();
    look.apply(parseSettings({ stream: { zoom: 1.03 } }));
    let blob: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:look';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    look.exportFile();
    const text = await (blob as Blob | null)!.text();
    expect(JSON.parse(text).dreamstream).toBe(2);
    expect(decodeLook(text)).toEqual({ settings: look.settings, content: 'chelsea', style: 'waves' });
  });
});
