/**
 * Hands in: MIDI learn through the panel with a fake controller (Web MIDI mocked in the page: the test turns its
 * knob), the one line where MIDI cannot be had, and a keyboard move. Checked on the controls' shown values and
 * the URL.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './helpers';

declare global {
  interface Window {
    /** The fake controller's knob: sends raw MIDI bytes from its one input. */
    midiSend?: (bytes: number[]) => void;
  }
}

/** The init script (runs in the page: self-contained): 'controller' (one input), 'absent' (no Web MIDI) or 'denied'. */
function fakeMidi(kind: string): void {
  const nav = Navigator.prototype as unknown as Record<string, unknown>;
  if (kind === 'absent') {
    delete nav['requestMIDIAccess'];
    return;
  }
  if (kind === 'denied') {
    nav['requestMIDIAccess'] = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    return;
  }
  class Input extends EventTarget {
    readonly id = 'fake-knobs';
    readonly type = 'input';
    readonly name = 'Fake knobs';
    readonly state = 'connected';
    open() {
      return Promise.resolve(this);
    }
  }
  const input = new Input();
  const access = Object.assign(new EventTarget(), { inputs: new Map([[input.id, input]]), outputs: new Map(), sysexEnabled: false });
  nav['requestMIDIAccess'] = () => Promise.resolve(access);
  window.midiSend = (bytes) => input.dispatchEvent(Object.assign(new Event('midimessage'), { data: new Uint8Array(bytes) }));
}

const search = (page: Page) => page.evaluate(() => decodeURIComponent(location.search));
const knob = (page: Page, controller: number, value: number) => page.evaluate(([c, v]) => window.midiSend!([0xb0, c!, v!]), [controller, value]);

test('MIDI learn: click Zoom, turn a knob, and the knob sets Zoom across its slider; the URL follows; a reload keeps it', async ({ page }) => {
  await page.addInitScript(fakeMidi, 'controller');
  await openApp(page, 'res=64');
  const learn = page.locator('ds-controls button[data-midi="learn"]');
  const line = page.locator('ds-controls [data-midi="line"]');
  const zoom = page.locator('ds-controls output[for="f-stream-zoom"]');
  const badge = page.locator('ds-controls [data-cc="stream.zoom"]');

  await learn.click();
  await expect(learn).toHaveAttribute('aria-pressed', 'true');
  await expect(line).toHaveText('Touch a control, then turn a knob');
  await page.locator('ds-controls input[name="stream.zoom"]').click();
  await expect(line).toHaveText('Turn a knob for Zoom');
  await knob(page, 21, 40);
  await expect(badge).toHaveText('CC 21 ×');
  await expect(line).toHaveText('Touch a control, then turn a knob');
  // The picture for people (docs/midi/): Zoom bound, Rotate touched and waiting for its knob, the whole panel in view.
  await page.locator('ds-controls input[name="stream.rotate"]').focus();
  await expect(line).toHaveText('Turn a knob for Rotate');
  await page.setViewportSize({ width: 900, height: 1500 });
  await page.locator('ds-controls').screenshot({ path: 'test-results/midi-learn.png' });

  await learn.click();
  await expect(learn).toHaveAttribute('aria-pressed', 'false');
  await expect(badge).toHaveText('CC 21');
  await knob(page, 21, 127);
  await expect(zoom).toHaveText('1.1×');
  await expect.poll(() => search(page)).toContain('zoom=1.1');
  await knob(page, 21, 0);
  await expect(zoom).toHaveText('0.95×');
  await expect.poll(() => search(page)).toContain('zoom=0.95');

  await page.reload();
  await expect(badge).toHaveText('CC 21');
  await knob(page, 21, 127);
  await expect(zoom).toHaveText('1.1×');
});

test('without Web MIDI, or with MIDI refused, the learn toggle says so in one line and the panel still edits', async ({ page }) => {
  await page.addInitScript(fakeMidi, 'absent');
  await openApp(page, 'res=64');
  await expect(page.locator('ds-controls [data-midi="line"]')).toHaveText('MIDI is not available in this browser');
  await expect(page.locator('ds-controls button[data-midi="learn"]')).toBeDisabled();
  await page.locator('ds-controls input[name="stream.rotate"]').fill('2');
  await expect(page.locator('ds-controls output[for="f-stream-rotate"]')).toHaveText('2°');

  const denied = await page.context().newPage();
  await denied.addInitScript(fakeMidi, 'denied');
  await openApp(denied, 'res=64');
  await denied.locator('ds-controls button[data-midi="learn"]').click();
  await expect(denied.locator('ds-controls [data-midi="line"]')).toHaveText('MIDI access was denied');
  await expect(denied.locator('ds-controls button[data-midi="learn"]')).toHaveAttribute('aria-pressed', 'false');
});

test('keys: + zooms in a notch and J makes the step smaller; the controls and the URL show it', async ({ page }) => {
  await openApp(page, 'res=64');
  const zoom = page.locator('ds-controls output[for="f-stream-zoom"]');
  await expect(zoom).toHaveText('1.01×');
  await page.locator('dream-stage').click();
  await page.keyboard.press('+');
  await expect(zoom).toHaveText('1.015×');
  await expect.poll(() => search(page)).toContain('zoom=1.015');
  await page.keyboard.press('j');
  await expect(page.locator('ds-controls output[for="f-dream-stepSize"]')).toHaveText('0.024');
});
