/**
 * Keyboard shortcuts as data: <ds-help> renders the table, the app shell maps key events through shortcutFor.
 * One table for both means the help can never list a key that does nothing.
 */
import type { NudgeAction } from './nudges';

export type ShortcutAction =
  /** Live moves of the stream and the step size (nudges.ts). */
  | NudgeAction
  /** Toggles: the app knows whether the engine is paused. */
  | 'pause'
  | 'fullscreen'
  | 'snapshot'
  | 'reset'
  | 'next-preset'
  | 'step'
  | 'help'
  | 'controls'
  | 'figures'
  | 'mask'
  | 'erase'
  | 'brush-smaller'
  | 'brush-larger'
  | 'probe'
  | 'probe-paint'
  | 'close';

export interface Shortcut {
  /** `KeyboardEvent.key` values, lower case for letters (matching ignores case so Caps Lock does not break it). */
  keys: readonly string[];
  /** How the keys are shown to people. */
  label: string;
  action: ShortcutAction;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [' '], label: 'Space', action: 'pause', description: 'Pause / resume' },
  { keys: ['.'], label: '.', action: 'step', description: 'Step once (while paused)' },
  { keys: ['r'], label: 'R', action: 'reset', description: 'Reset to the source image' },
  { keys: ['n'], label: 'N', action: 'next-preset', description: 'Next preset' },
  { keys: ['s'], label: 'S', action: 'snapshot', description: 'Save a snapshot' },
  { keys: ['f'], label: 'F', action: 'fullscreen', description: 'Toggle fullscreen' },
  { keys: ['c'], label: 'C', action: 'controls', description: 'Show / hide controls' },
  { keys: ['o'], label: 'O', action: 'figures', description: 'Show / hide the figures overlay (remembered)' },
  { keys: ['m'], label: 'M', action: 'mask', description: 'Paint a mask: the look applies where it is painted (again: done)' },
  { keys: ['e'], label: 'E', action: 'erase', description: 'Mask brush: erase / paint' },
  { keys: ['['], label: '[', action: 'brush-smaller', description: 'Mask brush: smaller' },
  { keys: [']'], label: ']', action: 'brush-larger', description: 'Mask brush: larger' },
  { keys: ['+', '='], label: '+', action: 'zoom-in', description: 'Zoom in a notch' },
  { keys: ['-', '_'], label: '−', action: 'zoom-out', description: 'Zoom out a notch' },
  { keys: ['a'], label: 'A', action: 'rotate-left', description: 'Rotate: half a degree per frame less' },
  { keys: ['d'], label: 'D', action: 'rotate-right', description: 'Rotate: half a degree per frame more' },
  { keys: ['j'], label: 'J', action: 'step-smaller', description: 'Step size (learning rate) smaller' },
  { keys: ['k'], label: 'K', action: 'step-larger', description: 'Step size (learning rate) larger' },
  { keys: ['p'], label: 'P', action: 'probe', description: 'Lens: the channels firing at the centre of the picture (or click any point)' },
  {
    keys: ['i'],
    label: 'I',
    action: 'probe-paint',
    description: 'Lens atlas: paint the centre tile into the mask: it dreams where you paint (Shift+click any tile; the panel names one)',
  },
  { keys: ['h', '?'], label: 'H or ?', action: 'help', description: 'Show / hide this help' },
  { keys: ['Escape'], label: 'Esc', action: 'close', description: 'Close help' },
];

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Held-down auto-repeat: only stepping repeats, a held Space must not flicker pause on and off. */
  repeat?: boolean;
  /** Mid-IME composition: the key belongs to the text being composed. */
  isComposing?: boolean;
  target?: unknown;
  /** From a real KeyboardEvent: inside shadow DOM `target` is the host, the path's first entry is the input. */
  composedPath?: () => unknown[];
  /** Whether the focused control was reached by keyboard (Tab, arrows) rather than by the pointer. */
  focusVisible?: boolean;
}

/** Inputs that are pressed or moved rather than typed into: their letters are free for shortcuts. */
const NOT_TYPED = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'file', 'color', 'image']);
/** Controls that Space presses or opens when they are reached by keyboard. */
const PRESSABLE = new Set(['BUTTON', 'SELECT', 'SUMMARY']);

function isTextEntry(el: { tagName: string; type?: unknown }): boolean {
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA') return true;
  return tag === 'INPUT' && !NOT_TYPED.has(String(el.type ?? 'text').toLowerCase());
}

/**
 * Whether a key pressed on `el` belongs to that element. Only typing owns keys: after a slider, a checkbox or a
 * menu was touched with the pointer, the shortcuts still work. Space is left to a pressable control only when
 * the user reached it by keyboard (it is focus-visible), where Space is how that control is pressed.
 */
function ownsKeys(el: unknown, key: string, focusVisible: boolean): boolean {
  if (typeof el !== 'object' || el === null) return false;
  const { tagName, isContentEditable, type } = el as { tagName?: unknown; isContentEditable?: unknown; type?: unknown };
  if (isContentEditable === true) return true;
  if (typeof tagName !== 'string') return false;
  if (isTextEntry({ tagName, type })) return true;
  if (key !== ' ' || !focusVisible) return false;
  const tag = tagName.toUpperCase();
  return PRESSABLE.has(tag) || (tag === 'INPUT' && ['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(String(type)));
}

/** Held down, these repeat: stepping, and the live moves (holding + keeps zooming in). */
const REPEATS = new Set<ShortcutAction>(['step', 'zoom-in', 'zoom-out', 'rotate-left', 'rotate-right', 'step-smaller', 'step-larger']);

const BY_KEY = new Map<string, ShortcutAction>(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as const)));

/** The action for a key event, or null when the key is not a shortcut here and must be left alone. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  const key = event.key === 'Spacebar' ? ' ' : event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const action = BY_KEY.get(key) ?? null;
  if (action === null) return null;
  const origin = typeof event.composedPath === 'function' ? (event.composedPath()[0] ?? event.target) : event.target;
  // Escape types nothing, so it may close the help from anywhere.
  if (action !== 'close' && ownsKeys(origin, key, event.focusVisible ?? false)) return null;
  if (event.repeat && !REPEATS.has(action)) return null;
  return action;
}
