import { describe, expect, it } from 'vitest';
import { dreamParams } from '../../src/engine/params/dream';
import { ParamError } from '../../src/engine/params/schema';
import { streamParams } from '../../src/engine/params/stream';
import { styleParams } from '../../src/engine/params/style';

describe('parameters', () => {
  it('every mode has defaults', () => {
    expect(dreamParams({}).layers).toEqual([{ name: 'mixed3', weight: 1 }, { name: 'mixed5', weight: 0.3 }]);
    expect(dreamParams(undefined).objective).toBe('l2');
    expect(streamParams({}).zoom).toBeGreaterThan(1);
    expect(styleParams({}).init).toBe('content');
  });

  it('a bad value is rejected with a message naming the parameter and the allowed range', () => {
    expect(() => dreamParams({ stepSize: 5 })).toThrow(ParamError);
    expect(() => dreamParams({ stepSize: 5 })).toThrow(/stepSize must be .*from 0\.0001 to 1 \(got 5\)/);
    expect(() => dreamParams({ octaves: 2.5 })).toThrow(/octaves must be an integer from 1 to 8/);
    expect(() => dreamParams({ jitter: Number.NaN })).toThrow(/jitter/);
    expect(() => dreamParams({ objective: 'l3' })).toThrow(/objective must be one of l2, mean \(got "l3"\)/);
    expect(() => dreamParams({ layers: [{ name: 'conv_zz', weight: 1 }] })).toThrow(/layers\.0\.name must be an InceptionV3 layer name/);
    expect(() => dreamParams({ layers: [] })).toThrow(/layers must name at least one layer/);
    expect(() => streamParams({ zoom: 3 })).toThrow(/zoom must be .*from 0\.9 to 1\.2 \(got 3\)/);
    expect(() => styleParams({ styleWeight: -1 })).toThrow(/styleWeight must be .*from 0 to 1000000/);
    expect(() => styleParams({ contentLayer: 'mixed7' })).toThrow(/contentLayer must be one of mixed2, mixed3, mixed4, mixed5/);
  });

  it('the style transfer parameters added for the look are validated by name', () => {
    expect(styleParams({})).toMatchObject({ basis: 'pyramid', colour: 'match', pad: 16, jitter: 4, styleScale: 1, pyramidLevels: 4 });
    expect(() => styleParams({ basis: 'fourier' })).toThrow(/basis must be one of pixels, pyramid \(got "fourier"\)/);
    expect(() => styleParams({ colour: 'sepia' })).toThrow(/colour must be one of style, content, match/);
    expect(() => styleParams({ styleScale: 9 })).toThrow(/styleScale must be a number from 0\.25 to 4 \(got 9\)/);
    expect(() => styleParams({ pad: 3.5 })).toThrow(/pad must be an integer from 0 to 64/);
    expect(() => styleParams({ jitter: -1 })).toThrow(/jitter must be an integer from 0 to 32/);
    expect(() => styleParams({ pyramidLevels: 0 })).toThrow(/pyramidLevels must be an integer from 1 to 8/);
  });

  it('blend shares, stages, smoothing and the turn and scale jitter are validated by name', () => {
    expect(styleParams({})).toMatchObject({ styleBlend: [1], smoothing: 0 });
    expect(styleParams({ styleBlend: [0.7, 0.3] }).styleBlend).toEqual([0.7, 0.3]);
    expect(() => styleParams({ styleBlend: [] })).toThrow(/styleBlend must give at least one share/);
    expect(() => styleParams({ styleBlend: [0, 0] })).toThrow(/styleBlend must give at least one share above 0/);
    expect(() => styleParams({ styleBlend: [1, -1] })).toThrow(/styleBlend\.1 must be a number from 0 to 100 \(got -1\)/);
    expect(() => styleParams({ styleBlend: [1, 1, 1, 1, 1] })).toThrow(/styleBlend must give at most 4 shares/);
    expect(() => styleParams({ styleBlend: 0.5 })).toThrow(/styleBlend must be a list of numbers/);
    expect(() => styleParams({ stages: 5 })).toThrow(/stages must be an integer from 1 to 4 \(got 5\)/);
    expect(() => styleParams({ stageIterations: 0 })).toThrow(/stageIterations must be an integer from 1 to 1000/);
    expect(() => styleParams({ smoothing: 1 })).toThrow(/smoothing must be a number from 0 to 0\.95/);
    expect(() => styleParams({ jitterRotate: 45 })).toThrow(/jitterRotate must be a number from 0 to 30/);
    expect(() => styleParams({ jitterScale: 0.5 })).toThrow(/jitterScale must be a number from 0 to 0\.3/);
  });

  it('the channel is checked against the chosen layers', () => {
    expect(dreamParams({ channel: 700, layers: [{ name: 'mixed4', weight: 1 }] }).channel).toBe(700);
    expect(() => dreamParams({ channel: 300, layers: [{ name: 'mixed0', weight: 1 }] })).toThrow(/channel must be from -1 to 255 for layer mixed0/);
  });

  it('lists every bad parameter at once', () => {
    try {
      dreamParams({ stepSize: -1, jitter: 1000 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/stepSize.*jitter|jitter.*stepSize/);
    }
  });
});
