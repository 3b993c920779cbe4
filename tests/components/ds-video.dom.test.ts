// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/components/ds-video';
import { formatEta, isVideoFile, type DsVideo, type VideoState } from '../../src/components/ds-video';

const mounted: Element[] = [];
async function mount(video?: VideoState): Promise<DsVideo> {
  const el = document.createElement('ds-video');
  if (video) el.video = video;
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

describe('<ds-video>', () => {
  it('a picked file asks for a video job with the panel settings', async () => {
    const el = await mount();
    const size = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="video.size"]')!;
    size.value = '5000';
    size.dispatchEvent(new Event('change'));
    const flow = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="video.flow"]')!;
    flow.checked = false;
    flow.dispatchEvent(new Event('change'));
    const asked: unknown[] = [];
    el.addEventListener('video-request', (e) => asked.push((e as CustomEvent).detail));
    const file = new File([new Uint8Array(8)], 'clip.webm', { type: 'video/webm' });
    el.start(file);
    // The size is clamped to what the protocol takes.
    expect(asked).toEqual([{ file, job: { flow: false, stepsPerFrame: 2, size: 1024 } }]);
  });

  it('shows progress with the time left and Cancel, then the results and a one-line failure', async () => {
    const el = await mount({ progress: { frame: 3, frames: 8, etaS: 75, name: 'clip.webm' }, results: [], error: null });
    expect(el.shadowRoot!.querySelector('[data-stat="video"]')!.textContent).toMatch(/3\/8, about 1 min 15 s left/);
    let cancels = 0;
    el.addEventListener('video-cancel', () => (cancels += 1));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="video-cancel"]')!.click();
    expect(cancels).toBe(1);
    el.video = { progress: null, results: [{ url: 'blob:x', name: 'clip-dreamed.webm' }], error: 'broken.webm: not a video this browser can read' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('a[data-video-result]')!.getAttribute('download')).toBe('clip-dreamed.webm');
    expect(el.shadowRoot!.querySelector('[data-stat="video-error"]')!.textContent).toBe('broken.webm: not a video this browser can read');
    expect(el.shadowRoot!.querySelector('input[name="video-file"]')).not.toBeNull();
  });

  it('tells videos from pictures by type or name, and formats the time left', () => {
    expect(isVideoFile(new File([], 'a.bin', { type: 'video/mp4' }))).toBe(true);
    expect(isVideoFile(new File([], 'holiday.MOV'))).toBe(true);
    expect(isVideoFile(new File([], 'cat.png', { type: 'image/png' }))).toBe(false);
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(3605)).toBe('60 min 05 s');
  });
});
