/**
 * Which MIDI control moves which setting: a table of bindings, remembered per browser (a controller belongs to
 * the person's desk, not to a look, so bindings are not settings and never travel in URLs or look files).
 */
import { z } from 'zod';

/** A control's address on the wire: its channel (1–16) and controller number (0–127). */
export interface CcAddress {
  channel: number;
  controller: number;
}

/** One knob bound to one setting, by the setting's dotted path (`stream.zoom`). */
export interface Binding extends CcAddress {
  path: string;
}

export type Bindings = readonly Binding[];

/** Where this browser keeps its bindings (JSON: `Binding[]`). */
export const MIDI_BINDINGS_KEY = 'dreamstream.midi';

const sameCc = (a: CcAddress, b: CcAddress) => a.channel === b.channel && a.controller === b.controller;

/** Binds `b`: a knob moves one setting and a setting follows one knob, so older bindings of either give way. */
export function bind(bindings: Bindings, b: Binding): Bindings {
  return [...bindings.filter((x) => !sameCc(x, b) && x.path !== b.path), { channel: b.channel, controller: b.controller, path: b.path }];
}

export function unbind(bindings: Bindings, path: string): Bindings {
  return bindings.filter((x) => x.path !== path);
}

export function bindingForCc(bindings: Bindings, cc: CcAddress): Binding | undefined {
  return bindings.find((x) => sameCc(x, cc));
}

export function bindingForPath(bindings: Bindings, path: string): Binding | undefined {
  return bindings.find((x) => x.path === path);
}

/** The badge's words: the CC number, and the channel only where it is not the usual first one. */
export function ccLabel(b: CcAddress): string {
  return b.channel === 1 ? `CC ${b.controller}` : `CC ${b.controller}/${b.channel}`;
}

const bindingSchema = z.object({
  channel: z.number().int().min(1).max(16),
  controller: z.number().int().min(0).max(127),
  path: z.string().regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/),
});

/**
 * The bindings a stored text holds. Whatever cannot be read (not JSON, not a list, an entry of the wrong shape)
 * is dropped, entry by entry: a bad stored value loses at most itself, never the page.
 */
export function parseBindings(text: string | null | undefined): Bindings {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.reduce<Bindings>((acc, entry) => {
    const r = bindingSchema.safeParse(entry);
    return r.success ? bind(acc, r.data) : acc;
  }, []);
}

export function serialiseBindings(bindings: Bindings): string {
  return JSON.stringify(bindings.map(({ channel, controller, path }) => ({ channel, controller, path })));
}
