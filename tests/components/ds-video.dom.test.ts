// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/engine/params/settings';
import '../../src/components/ds-video';
import { formatEta, type DsVideo } from '../../src/components/ds-video';
import { isVideoFile } from '../../src/components/input/video-file';
import type { Jobs, JobStateOf } from '../../src/components/jobs/job-state';

const mounted: Element[] = [];
async function mount(jobs?: Jobs): Promise<DsVideo> {
  const el = document.createElement('ds-video');
  if (jobs) el.jobs = jobs;
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** The page's record of video jobs, in the order they were asked for. */
function videoJobs(...jobs: Partial<JobStateOf<'video'>>[]): Jobs {
  return new Map(jobs.map((j, i) => [i + 1, { id: i + 1, kind: 'video', label: 'clip.webm', look: { settings: DEFAULT_SETTINGS }, progress: null, file: null, error: null, ...j }]));
}

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
    el.addEventListener('job-request', (e) => asked.push(e.detail));
    const file = new File([new Uint8Array(8)], 'clip.webm', { type: 'video/webm' });
    el.start(file);
    // The size is clamped to what the protocol takes.
    expect(asked).toEqual([{ kind: 'video', job: { file, name: 'clip.webm', flow: false, stepsPerFrame: 2, size: 1024 } }]);
  });

  it('shows progress with the time left and Cancel, then the results and a one-line failure', async () => {
    const el = await mount(videoJobs({ progress: { frame: 3, frames: 8, etaS: 75 } }));
    expect(el.shadowRoot!.querySelector('[data-stat="video"]')!.textContent).toMatch(/3\/8, about 1 min 15 s left/);
    const cancels: unknown[] = [];
    el.addEventListener('job-cancel', (e) => cancels.push(e.detail));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="video-cancel"]')!.click();
    expect(cancels).toEqual([1]);
    el.jobs = videoJobs({ file: { url: 'blob:x', name: 'clip-dreamed.webm' } }, { label: 'broken.webm', error: 'broken.webm: not a video this browser can read' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('a[data-job-file]')!.getAttribute('download')).toBe('clip-dreamed.webm');
    expect(el.shadowRoot!.querySelector('[data-stat="video-error"]')!.textContent).toBe('broken.webm: not a video this browser can read');
    expect(el.shadowRoot!.querySelector('input[name="video-file"]')).not.toBeNull();
  });

  it("shows only its own kind's jobs", async () => {
    const el = await mount(new Map([[1, { id: 1, kind: 'zoom', label: 'zoom export', look: { settings: DEFAULT_SETTINGS }, progress: { frame: 1, frames: 6 }, file: null, error: 'x' }]]));
    expect(el.shadowRoot!.querySelector('[data-stat="video"]')).toBeNull();
    expect(el.shadowRoot!.querySelector('[data-stat="video-error"]')).toBeNull();
  });

  it('tells videos from pictures by type or name, and formats the time left', () => {
    expect(isVideoFile(new File([], 'a.bin', { type: 'video/mp4' }))).toBe(true);
    expect(isVideoFile(new File([], 'holiday.MOV'))).toBe(true);
    expect(isVideoFile(new File([], 'cat.png', { type: 'image/png' }))).toBe(false);
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(3605)).toBe('60 min 05 s');
  });
});
