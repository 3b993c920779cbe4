/** A numeric setting's span by its schema's bounds: what a knob covers when the setting's control is not shown. */
import { settingFields } from '../../engine/params/fields';
import { settingsSchema } from '../../engine/params/settings';
import { coverable, type KnobSpan } from './cc-scale';

let spans: ReadonlyMap<string, KnobSpan> | null = null;

export function schemaSpan(path: string): KnobSpan | undefined {
  spans ??= new Map(
    settingFields(settingsSchema).flatMap((f) => {
      const k = f.kind;
      if (k.type !== 'number') return [];
      const span: KnobSpan = { min: k.min, max: k.max, integer: k.integer };
      return coverable(span) ? [[f.path.join('.'), span] as const] : [];
    }),
  );
  return spans.get(path);
}
