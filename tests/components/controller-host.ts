import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A bare element that hosts reactive controllers, for testing one controller without an app around it. */
export class TestHost extends HTMLElement implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(c: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(c), 1);
  }
  requestUpdate(): void {
    this.updates += 1;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connectedCallback(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnectedCallback(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}
if (!customElements.get('test-host')) customElements.define('test-host', TestHost);

export const newHost = (): TestHost => document.createElement('test-host') as TestHost;
