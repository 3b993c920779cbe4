/** The one line beside the MIDI learn toggle: why MIDI cannot be had, or what learning waits for. */
import type { LearnState } from './learn';

export interface MidiLineState {
  status: 'idle' | 'pending' | 'ready' | 'unsupported' | 'denied' | 'failed';
  failure: string;
  learn: LearnState;
  inputCount: number;
  /** The touched control's label, when one is touched. */
  targetLabel: string | null;
  bound: number;
}

export function midiLine(m: MidiLineState): string {
  switch (m.status) {
    case 'unsupported':
      return 'MIDI is not available in this browser';
    case 'denied':
      return 'MIDI access was denied';
    case 'failed':
      return `MIDI could not start${m.failure ? `: ${m.failure}` : ''}`;
    case 'pending':
      return 'Asking for MIDI access…';
    case 'idle':
      return m.learn.on ? 'Asking for MIDI access…' : '';
  }
  if (m.inputCount === 0) return 'No MIDI controller is connected';
  if (!m.learn.on) return m.bound > 0 ? `${m.bound} ${m.bound === 1 ? 'knob' : 'knobs'} bound` : '';
  if (m.learn.target === null) return 'Touch a control, then turn a knob';
  return `Turn a knob for ${m.targetLabel ?? m.learn.target}`;
}
