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
