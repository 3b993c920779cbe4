import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor, type ShortcutAction } from '../../src/components/shortcuts';

const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, ...extra });

describe('shortcutFor', () => {
  it('maps the documented keys', () => {
    const cases: [string, ShortcutAction][] = [
      [' ', 'pause'],
      ['f', 'fullscreen'],
      ['s', 'snapshot'],
      ['r', 'reset'],
      ['n', 'next-preset'],
      ['.', 'step'],
      ['h', 'help'],
      ['?', 'help'],
      ['c', 'controls'],
      ['Escape', 'close'],
    ];
    for (const [key, action] of cases) expect(shortcutFor({ key, target: el('BODY') }), key).toBe(action);
  });

  it('ignores case for letters (Caps Lock, Shift)', () => {
    expect(shortcutFor({ key: 'F' })).toBe('fullscreen');
    expect(shortcutFor({ key: 'Spacebar' })).toBe('pause');
  });

  it('returns null for other keys', () => {
    for (const key of ['x', 'Enter', 'ArrowLeft', 'F5', '1', 'Tab']) expect(shortcutFor({ key }), key).toBeNull();
  });

  it('leaves modified keys to the browser (copy, reload, save…)', () => {
    expect(shortcutFor({ key: 's', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'r', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'f', altKey: true })).toBeNull();
    expect(shortcutFor({ key: 'n', isComposing: true })).toBeNull();
  });

  it('ignores keys typed into inputs, selects, textareas and editable content', () => {
    for (const tag of ['INPUT', 'SELECT', 'TEXTAREA', 'input']) {
      expect(shortcutFor({ key: 'r', target: el(tag) }), tag).toBeNull();
      expect(shortcutFor({ key: ' ', target: el(tag) }), tag).toBeNull();
    }
    expect(shortcutFor({ key: 's', target: el('DIV', { isContentEditable: true }) })).toBeNull();
    expect(shortcutFor({ key: 's', target: el('DIV') })).toBe('snapshot');
  });

  it('lets Escape through from inputs, and Space through only where it does not press a button', () => {
    expect(shortcutFor({ key: 'Escape', target: el('INPUT') })).toBe('close');
    expect(shortcutFor({ key: ' ', target: el('BUTTON') })).toBeNull();
    expect(shortcutFor({ key: 'r', target: el('BUTTON') })).toBe('reset');
  });

  it('looks through shadow DOM via composedPath', () => {
    const event = { key: 'r', target: el('DS-CONTROLS'), composedPath: () => [el('INPUT'), el('DS-CONTROLS')] };
    expect(shortcutFor(event)).toBeNull();
    expect(shortcutFor({ ...event, composedPath: () => [el('DIV')] })).toBe('reset');
  });

  it('does not auto-repeat toggles, but does repeat stepping', () => {
    expect(shortcutFor({ key: ' ', repeat: true })).toBeNull();
    expect(shortcutFor({ key: 'f', repeat: true })).toBeNull();
    expect(shortcutFor({ key: '.', repeat: true })).toBe('step');
  });

  it('table: every action appears once, every key is unique and every key maps back to its action', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of SHORTCUTS) for (const key of s.keys) expect(shortcutFor({ key })).toBe(s.action);
    for (const s of SHORTCUTS) expect(s.label.length).toBeGreaterThan(0);
  });
});
