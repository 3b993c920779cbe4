/**
 * Keyboard shortcuts as data: <ds-help> renders the table, the app shell maps key events through shortcutFor.
 * One table for both means the help can never list a key that does nothing.
 */

export type ShortcutAction =
  /** Toggles: the app knows whether the engine is paused. */
  | 'pause'
  | 'fullscreen'
  | 'snapshot'
  | 'reset'
  | 'next-preset'
  | 'step'
  | 'help'
  | 'controls'
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
}

const TEXT_ENTRY = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

/** Whether a key pressed on `el` belongs to that element (typing, toggling a checkbox, moving a slider). */
function ownsKeys(el: unknown, key: string): boolean {
  if (typeof el !== 'object' || el === null) return false;
  const { tagName, isContentEditable } = el as { tagName?: unknown; isContentEditable?: unknown };
  if (isContentEditable === true) return true;
  if (typeof tagName !== 'string') return false;
  const tag = tagName.toUpperCase();
  // Space on a focused button presses it; taking it as pause too would do two things at once.
  return TEXT_ENTRY.has(tag) || (tag === 'BUTTON' && key === ' ');
}

const BY_KEY = new Map<string, ShortcutAction>(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as const)));

/** The action for a key event, or null when the key is not a shortcut here and must be left alone. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  const key = event.key === 'Spacebar' ? ' ' : event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const action = BY_KEY.get(key) ?? null;
  if (action === null) return null;
  const origin = typeof event.composedPath === 'function' ? (event.composedPath()[0] ?? event.target) : event.target;
  // Escape types nothing, so it may close the help from anywhere.
  if (action !== 'close' && ownsKeys(origin, key)) return null;
  if (event.repeat && action !== 'step') return null;
  return action;
}
