import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { shortcutFor, type ShortcutAction } from '../input/shortcuts';
import { listenForKeys } from '../input/key-scope';

/** What each shortcut does in this app. */
export type ShortcutActions = Record<ShortcutAction, () => void>;

/**
 * The keyboard: keys heard in the app's scope (the window for the full page, the element when embedded: see
 * key-scope.ts) become shortcut actions (shortcuts.ts decides which keys belong to a focused control instead).
 */
export class ShortcutsController implements ReactiveController {
  private stopKeys: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly scope: () => 'window' | 'element',
    private readonly actions: ShortcutActions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stopKeys = listenForKeys(this.host, this.scope(), this.onKey);
  }

  hostDisconnected(): void {
    this.stopKeys?.();
    this.stopKeys = null;
  }

  private onKey = (e: KeyboardEvent, reachedByKeyboard: boolean): void => {
    const action = shortcutFor({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      repeat: e.repeat,
      isComposing: e.isComposing,
      target: e.composedPath()[0],
      focusVisible: reachedByKeyboard,
    });
    if (!action) return;
    e.preventDefault();
    this.actions[action]();
  };
}
