import { describe, expect, it } from 'vitest';
import { dreamParams } from '../../src/engine/params/dream';
import { formatLayerList, parseLayerList, parseNumberList } from '../../src/engine/params/lists';

describe('list settings as text', () => {
  it('reads a layer list: weight 1 where none is given, spaces and empty parts ignored', () => {
    expect(parseLayerList('mixed3,mixed5:0.5')).toEqual([
      { name: 'mixed3', weight: 1 },
      { name: 'mixed5', weight: 0.5 },
    ]);
    expect(parseLayerList(' mixed3 : -2 ,, mixed4')).toEqual([
      { name: 'mixed3', weight: -2 },
      { name: 'mixed4', weight: 1 },
    ]);
    expect(parseLayerList('')).toEqual([]);
  });

  it('writes a layer list back as it reads it', () => {
    const layers = [
      { name: 'mixed0', weight: 2.5 },
      { name: 'activation_3', weight: 1 },
    ];
    expect(formatLayerList(layers)).toBe('mixed0:2.5,activation_3:1');
    expect(parseLayerList(formatLayerList(layers))).toEqual(layers);
  });

  it('leaves a weight that is not a number to the schema, which names it', () => {
    for (const text of ['mixed3:x', 'mixed3:', 'mixed3:1:2']) {
      const [layer] = parseLayerList(text);
      expect(layer!.weight, text).toBeNaN();
      expect(() => dreamParams({ layers: [layer] }), text).toThrow(/layers\.0\.weight must be a number from -10 to 10/);
    }
  });

  it('reads a list of numbers; an empty or bad part is NaN, never 0', () => {
    expect(parseNumberList('0.7,0.3')).toEqual([0.7, 0.3]);
    expect(parseNumberList(' 1 , 2 ')).toEqual([1, 2]);
    expect(parseNumberList('0.7,')[1]).toBeNaN();
    expect(parseNumberList('0.7,x')[1]).toBeNaN();
  });
});
