/**
 * The two MIDI messages the page answers, read from a message's raw bytes. Everything else (note-off, pitch bend,
 * clock, sysex) is null: a controller sends plenty the page has no use for.
 */

/** A Control Change: a knob or fader moved. Channels are 1–16 as controllers print them. */
export interface ControlChange {
  type: 'cc';
  channel: number;
  controller: number;
  /** 0–127. */
  value: number;
}

/** A key or pad struck (a note-on with velocity 0 is a note-off by convention, so it is not one). */
export interface NoteOn {
  type: 'note';
  channel: number;
  note: number;
}

export type MidiEvent = ControlChange | NoteOn;

const CONTROL_CHANGE = 0xb0;
const NOTE_ON = 0x90;

export function parseMidi(data: ArrayLike<number> | null | undefined): MidiEvent | null {
  if (!data || data.length < 3) return null;
  const status = data[0]!;
  const kind = status & 0xf0;
  const channel = (status & 0x0f) + 1;
  const a = data[1]! & 0x7f;
  const b = data[2]! & 0x7f;
  if (kind === CONTROL_CHANGE) return { type: 'cc', channel, controller: a, value: b };
  if (kind === NOTE_ON && b > 0) return { type: 'note', channel, note: a };
  return null;
}
