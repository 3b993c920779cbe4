/**
 * Where an app listens for its shortcuts. The full-page app owns the window's keys; an element embedded in
 * another page owns only the keys pressed while it (or something inside it) has focus, so the host page keeps
 * Space for scrolling and its own letters. Clicking the element gives it focus.
 *
 * It also tells the handler how the focused control was reached. Space presses a button or a checkbox that was
 * tabbed to, but after a click with the pointer Space is pause again. The browser's :focus-visible cannot say
 * this at keydown time: a key press itself makes the focused element focus-visible.
 */
export type KeyHandler = (e: KeyboardEvent, reachedByKeyboard: boolean) => void;

const NAVIGATION_KEYS = new Set(['Tab', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

export function listenForKeys(host: HTMLElement, scope: 'window' | 'element', onKey: KeyHandler): () => void {
  const target: EventTarget = scope === 'window' ? window : host;
  let keyboard = false;
  const onPointer = () => (keyboard = false);
  const handler = (e: Event) => {
    const k = e as KeyboardEvent;
    if (NAVIGATION_KEYS.has(k.key)) keyboard = true;
    onKey(k, keyboard);
  };
  if (scope === 'element' && !host.hasAttribute('tabindex')) host.tabIndex = 0;
  target.addEventListener('keydown', handler);
  target.addEventListener('pointerdown', onPointer, { capture: true });
  return () => {
    target.removeEventListener('keydown', handler);
    target.removeEventListener('pointerdown', onPointer, { capture: true });
  };
}
