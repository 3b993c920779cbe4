import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker, transferables } from '../../src/workers/protocol';

describe('video messages', () => {
  const start = (job: object) => parseToWorker({ type: 'job-start', id: 1, kind: 'video', job });

  it('a video file job: a Blob, a name and the job, checked by zod like every message', () => {
    const job = { flow: true, stepsPerFrame: 2, size: 384 };
    expect(start({ file: new Blob([new Uint8Array(4)]), name: 'clip.webm', ...job }).ok).toBe(true);
    expect(start({ file: {}, name: 'clip.webm', ...job }).ok).toBe(false);
    const bad = start({ file: new Blob([]), name: 'clip.webm', ...job, stepsPerFrame: 99 });
    expect(!bad.ok && bad.error).toMatch(/malformed message "job-start" \(video\).*job\.stepsPerFrame/);
    expect(start({ file: new Blob([]), name: 'clip.webm', flow: 'yes', stepsPerFrame: 2, size: 384 }).ok).toBe(false);
  });

  it('progress with the time left, the video (transferred), and a one-line failure', () => {
    const progress = (p: object) => parseFromWorker({ type: 'job-progress', id: 1, kind: 'video', progress: p });
    expect(progress({ frame: 3, frames: 8, etaS: 2.5 }).ok).toBe(true);
    expect(progress({ frame: 3, frames: 8 }).ok).toBe(false);
    const video = new ArrayBuffer(8);
    const done = parseFromWorker({ type: 'job-done', id: 1, kind: 'video', result: { video, mime: 'video/webm', name: 'clip-dreamed.webm', frames: 8 } });
    expect(done.ok).toBe(true);
    if (done.ok) expect(transferables(done.message)).toEqual([video]);
    expect(parseFromWorker({ type: 'job-error', id: 1, kind: 'video', message: 'clip.webm: not a video this browser can read', cancelled: false }).ok).toBe(true);
  });
});
