import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor, type ShortcutAction } from '../../src/components/input/shortcuts';

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
      ['m', 'mask'],
      ['e', 'erase'],
      ['[', 'brush-smaller'],
      [']', 'brush-larger'],
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

  it('ignores keys typed into text fields and editable content', () => {
    for (const target of [el('INPUT'), el('input', { type: 'text' }), el('INPUT', { type: 'number' }), el('TEXTAREA')]) {
      expect(shortcutFor({ key: 'r', target }), JSON.stringify(target)).toBeNull();
      expect(shortcutFor({ key: ' ', target }), JSON.stringify(target)).toBeNull();
    }
    expect(shortcutFor({ key: 's', target: el('DIV', { isContentEditable: true }) })).toBeNull();
    expect(shortcutFor({ key: 's', target: el('DIV') })).toBe('snapshot');
  });

  it('keeps working after a slider, a checkbox or a menu was touched with the pointer', () => {
    for (const target of [el('INPUT', { type: 'range' }), el('INPUT', { type: 'checkbox' }), el('SELECT'), el('BUTTON')]) {
      expect(shortcutFor({ key: ' ', target, focusVisible: false }), JSON.stringify(target)).toBe('pause');
      expect(shortcutFor({ key: 'n', target, focusVisible: false }), JSON.stringify(target)).toBe('next-preset');
    }
  });

  it('leaves Space to a control reached by keyboard (where Space presses it), letters never', () => {
    expect(shortcutFor({ key: 'Escape', target: el('INPUT') })).toBe('close');
    for (const target of [el('BUTTON'), el('INPUT', { type: 'checkbox' }), el('SELECT')]) {
      expect(shortcutFor({ key: ' ', target, focusVisible: true }), JSON.stringify(target)).toBeNull();
      expect(shortcutFor({ key: 'r', target, focusVisible: true }), JSON.stringify(target)).toBe('reset');
    }
    // A slider does nothing with Space: it stays pause even with keyboard focus.
    expect(shortcutFor({ key: ' ', target: el('INPUT', { type: 'range' }), focusVisible: true })).toBe('pause');
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
