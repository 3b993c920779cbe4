/**
 * MIDI learn as a state machine: off; on and waiting for a control to be touched; on with a control touched,
 * waiting for a knob. A knob turned then binds that control and learning moves on to the next control.
 */
import { bind, type Bindings } from './bindings';
import type { ControlChange } from './midi-message';

export type LearnState = { on: false } | { on: true; target: string | null };

export const LEARN_OFF: LearnState = { on: false };

export function toggleLearn(s: LearnState): LearnState {
  return s.on ? LEARN_OFF : { on: true, target: null };
}

/** A control touched (focused or clicked): while learning it becomes the one the next knob binds. */
export function touch(s: LearnState, path: string): LearnState {
  return s.on ? { on: true, target: path } : s;
}

/** What a Control Change does: binds the touched control while learning, else moves the setting bound to it. */
export type CcOutcome =
  | { kind: 'bound'; state: LearnState; bindings: Bindings; path: string }
  /** Not learning, or learning with no control touched yet: a bound knob still plays its setting. */
  | { kind: 'move' };

export function receiveCc(s: LearnState, bindings: Bindings, cc: ControlChange): CcOutcome {
  if (!s.on || s.target === null) return { kind: 'move' };
  const path = s.target;
  return { kind: 'bound', state: { on: true, target: null }, bindings: bind(bindings, { channel: cc.channel, controller: cc.controller, path }), path };
}
