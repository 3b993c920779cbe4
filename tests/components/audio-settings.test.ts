/** The audio mappings travel as settings: their text form, links (URL), look files, and the render CLI's flag. */
import { describe, expect, it } from 'vitest';
import { parseCli, type CliArgs } from '../../src/cli/args';
import { settingsOf } from '../../src/cli/settings-flags';
import { formatMappingList, parseMappingList } from '../../src/engine/params/audio';
import { decodeLook, encodeLook } from '../../src/engine/params/look';
import { settings } from '../../src/engine/params/settings';
import { parseQuery, toQuery } from '../../src/components/look/url-state';

const parse = (argv: string[]) => parseCli(argv) as CliArgs;
const pulse = settings({ audio: { mappings: [{ feature: 'onset', target: 'stream.zoom', amount: 0.05, smoothing: { attack: 0, release: 0.15 } }, { feature: 'low', target: 'dream.stepSize', amount: 0.02, curve: 'square' }] } });

describe('audio mappings as settings', () => {
  it('have a text form that reads back the same', () => {
    const text = formatMappingList(pulse.audio.mappings);
    expect(text).toBe('onset:stream.zoom:0.05:0:0.15:linear,low:dream.stepSize:0.02:0:0:square');
    expect(settings({ audio: { mappings: parseMappingList(text) } })).toEqual(pulse);
    // Short forms: smoothing and curve may be left out.
    expect(settings({ audio: { mappings: parseMappingList('onset:stream.zoom:0.1') } }).audio.mappings[0]).toMatchObject({ amount: 0.1, smoothing: { attack: 0, release: 0 }, curve: 'linear' });
  });

  it('travel in a link, and a bad one is named in one line while the rest of the link applies', () => {
    const query = toQuery(pulse);
    expect(query).toContain('audio.mappings=onset%3Astream.zoom%3A0.05%3A0%3A0.15%3Alinear');
    expect(parseQuery(query).settings).toEqual(pulse);
    const bad = parseQuery('zoom=1.05&audio.mappings=onset:resolution:1');
    expect(bad.settings.stream.zoom).toBe(1.05);
    expect(bad.settings.audio.mappings).toEqual([]);
    expect(bad.notice).toMatch(/audio\.mappings=onset:resolution:1 \(audio\.mappings\.0\.target must be a live numeric setting/);
  });

  it('travel in a look file', () => {
    expect(decodeLook(encodeLook({ settings: pulse })).settings).toEqual(pulse);
  });

  it('are the zoom command\'s --audio-mappings (or --mappings)', () => {
    for (const flag of ['--audio-mappings', '--mappings']) {
      const args = parse(['zoom', '--input', 'x.png', '--output-dir', 'out', flag, 'onset:stream.zoom:0.05:0:0.15,low:dream.stepSize:0.02:0:0:square']);
      expect(settingsOf(args.settings).audio).toEqual(pulse.audio);
    }
    const bad = parse(['zoom', '--input', 'x.png', '--output-dir', 'out', '--mappings', 'onset:mode:1']);
    expect(() => settingsOf(bad.settings)).toThrow(/--mappings: audio\.mappings\.0\.target must be a live numeric setting/);
  });
});
