// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-panel';
import type { Jobs } from '../../src/components/jobs/job-state';
import { DEFAULT_SETTINGS } from '../../src/engine/params/settings';

afterEach(() => document.body.replaceChildren());

async function mount() {
  const el = document.createElement('ds-panel');
  el.preset = 'spiral';
  document.body.append(el);
  await el.updateComplete;
  const heard: [string, unknown][] = [];
  for (const name of ['preset-select', 'snapshot-request', 'fullscreen-request', 'help-request', 'link-copy', 'look-export', 'look-import'])
    document.body.addEventListener(name, (e) => heard.push([name, (e as CustomEvent).detail]));
  return { el, root: el.shadowRoot!, heard };
}

describe('ds-panel', () => {
  it('shows the preset chosen and reports every button as an event that leaves its shadow root', async () => {
    const { root, heard } = await mount();
    const select = root.querySelector<HTMLSelectElement>('select#preset')!;
    // Marked by the attribute (happy-dom's select.value does not follow it; the e2e tests read the value).
    expect([...select.options].filter((o) => o.hasAttribute('selected')).map((o) => o.value)).toEqual(['spiral']);
    select.value = 'eyes';
    select.dispatchEvent(new Event('change'));
    for (const label of ['Snapshot', 'Fullscreen', '?', 'Copy link', 'Export'])
      [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!.click();
    expect(heard).toEqual([
      ['preset-select', 'eyes'],
      ['snapshot-request', null],
      ['fullscreen-request', null],
      ['help-request', null],
      ['link-copy', null],
      ['look-export', null],
    ]);
  });

  it('holds the recorder, the export, the sources and the controls', async () => {
    const { root } = await mount();
    for (const tag of ['ds-recorder', 'ds-export', 'ds-sources', 'ds-controls']) expect(root.querySelector(tag)).not.toBeNull();
  });

  it('hands its one record of jobs to every job panel, and a dropped video to the video panel', async () => {
    const { el, root } = await mount();
    const jobs: Jobs = new Map([[1, { id: 1, kind: 'large', label: 'large render', look: { settings: DEFAULT_SETTINGS }, progress: { step: 1, steps: 3, width: 0, height: 0, tiles: 0 }, file: null, error: null }]]);
    el.jobs = jobs;
    await el.updateComplete;
    for (const tag of ['ds-video', 'ds-export', 'ds-render-large'] as const) expect(root.querySelector(tag)!.jobs).toBe(jobs);
    const asked: unknown[] = [];
    document.body.addEventListener('job-request', (e) => asked.push(e.detail));
    const file = new File([new Uint8Array(4)], 'drop.webm', { type: 'video/webm' });
    expect(el.startVideo(file)).toBe(true);
    expect(asked).toEqual([{ kind: 'video', job: { file, name: 'drop.webm', flow: true, stepsPerFrame: 2, size: 384 } }]);
  });
});
