// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-render-large';
import '../../src/components/ds-export';

afterEach(() => document.body.replaceChildren());

/** Mounts a job panel, listens for its job request, presses its button after `choose` and returns the request's detail. */
async function request(tag: 'ds-render-large' | 'ds-export', button: string, choose?: (root: ShadowRoot) => void): Promise<Record<string, unknown>> {
  const el = document.createElement(tag);
  document.body.append(el);
  await el.updateComplete;
  const root = el.shadowRoot!;
  let detail: Record<string, unknown> | null = null;
  el.addEventListener('job-request', (e) => (detail = (e as CustomEvent).detail));
  choose?.(root);
  await el.updateComplete;
  root.querySelector<HTMLButtonElement>(`button[data-action="${button}"]`)!.click();
  expect(detail).not.toBeNull();
  return detail!;
}

function pick(root: ShadowRoot, name: string, value: string): void {
  const select = root.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

describe('Start from: this frame / the source picture', () => {
  it('Render large starts from this frame unless the source picture is chosen, and the request says which', async () => {
    expect(await request('ds-render-large', 'render-large')).toMatchObject({ kind: 'large', job: { start: 'frame' } });
    expect(await request('ds-render-large', 'render-large', (r) => pick(r, 'large.start', 'source'))).toMatchObject({ kind: 'large', job: { start: 'source' } });
  });

  it('the zoom export likewise', async () => {
    expect(await request('ds-export', 'export')).toMatchObject({ kind: 'zoom', job: { start: 'frame' } });
    expect(await request('ds-export', 'export', (r) => pick(r, 'export.start', 'source'))).toMatchObject({ kind: 'zoom', job: { start: 'source' } });
  });
});

describe("the zoom export's soundtrack follows the look's own sound mappings", () => {
  const look = [{ feature: 'low', target: 'stream.rotate', amount: 3 }] as const;

  /** A panel with a decoded track already chosen (happy-dom decodes no audio) and the look's mappings. */
  async function withTrack(mappings: readonly object[]): Promise<HTMLElement & { updateComplete: Promise<boolean> }> {
    const el = document.createElement('ds-export') as HTMLElement & { updateComplete: Promise<boolean>; mappings: readonly object[] };
    el.mappings = mappings;
    (el as unknown as { audio: object }).audio = { name: 'song.wav', channels: [new Float32Array(4800)], sampleRate: 48000, duration: 0.1 };
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  function requested(el: HTMLElement): { mappings: { feature: string; target: string; amount: number }[] } {
    let detail: { job: { soundtrack: { mappings: { feature: string; target: string; amount: number }[] } } } | null = null;
    el.addEventListener('job-request', (e) => (detail = (e as CustomEvent).detail));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="export"]')!.click();
    expect(detail).not.toBeNull();
    return detail!.job.soundtrack;
  }

  it('by default the look\'s mappings ("as live"); a preset when one is chosen', async () => {
    const el = await withTrack(look);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="export.audioMap"]')!;
    expect(select.value).toBe('look');
    expect(select.selectedOptions[0]!.textContent).toContain('low → stream.rotate');
    expect(requested(el).mappings).toMatchObject([{ feature: 'low', target: 'stream.rotate', amount: 3 }]);
    select.value = 'pulse';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(requested(el).mappings).toMatchObject([{ feature: 'onset', target: 'stream.zoom' }]);
  });

  it('a look without mappings offers only the presets, pulse first', async () => {
    const el = await withTrack([]);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="export.audioMap"]')!;
    expect([...select.options].map((o) => o.value)).not.toContain('look');
    expect(select.value).toBe('pulse');
    expect(requested(el).mappings).toMatchObject([{ feature: 'onset', target: 'stream.zoom' }]);
  });
});
