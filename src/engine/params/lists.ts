/**
 * The text forms of list-valued settings, one for the URL and the render CLI alike: a layer list
 * `mixed3,mixed5:0.5` (weight 1 where none is given) and a list of numbers `0.7,0.3`. Parsing never throws: a part
 * that is not a number becomes NaN, so the schema refuses it with its own message, naming the setting.
 */
export interface LayerWeight {
  name: string;
  weight: number;
}

/** `mixed3,mixed5:0.5` → [{name: 'mixed3', weight: 1}, {name: 'mixed5', weight: 0.5}]; empty parts are skipped. */
export function parseLayerList(text: string): LayerWeight[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [name = '', ...weight] = part.split(':');
      return { name: name.trim(), weight: weight.length === 0 ? 1 : numberOf(weight.join(':')) };
    });
}

/** The inverse of parseLayerList, every weight written out. */
export function formatLayerList(layers: readonly LayerWeight[]): string {
  return layers.map((l) => `${l.name}:${l.weight}`).join(',');
}

/** `0.7,0.3` → [0.7, 0.3]; an empty part is NaN, not 0, so `0.7,` is refused rather than read as a zero share. */
export function parseNumberList(text: string): number[] {
  return text.split(',').map(numberOf);
}

const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
