import { describe, expect, it, vi } from 'vitest';
import type { Mask } from '../../src/engine/mask/mask';
import type { JobContext, JobKinds } from '../../src/workers/jobs/job';
import { JobRunner, type JobReply } from '../../src/workers/jobs/runner';
import type { JobStartMessage } from '../../src/workers/protocol';

/** A promise the test settles by hand (the job in progress). */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

const LARGE: JobStartMessage = { type: 'job-start', id: 1, kind: 'large', job: { size: 2048, steps: 3 } };
const ZOOM: JobStartMessage = { type: 'job-start', id: 'z', kind: 'zoom', job: { frames: 2, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm' } };
const PNG = { png: new ArrayBuffer(4), width: 2048, height: 1366 };

/** Fake kinds: the large still waits for the test; the others fail at once. Each mask copy is a spy. */
function setup() {
  const posted: JobReply[] = [];
  const masks: { dispose: ReturnType<typeof vi.fn> }[] = [];
  const large = deferred<typeof PNG>();
  const seen: JobContext<'large'>[] = [];
  const kinds: JobKinds = {
    large: (_job, ctx) => {
      seen.push(ctx);
      return large.promise;
    },
    zoom: async () => {
      throw new Error('this browser cannot encode webm video\nstack…');
    },
    video: async () => {
      throw new Error('unused');
    },
  };
  const runner = new JobRunner(kinds, {
    post: (m) => posted.push(m),
    maskCopy: () => {
      const mask = { dispose: vi.fn() };
      masks.push(mask);
      return mask as unknown as Mask;
    },
  });
  return { runner, posted, masks, large, seen };
}

describe('JobRunner', () => {
  it('runs a job with its own mask copy, forwards its progress and result, then frees the copy and the loop', async () => {
    const { runner, posted, masks, large, seen } = setup();
    const done = runner.start(LARGE);
    expect(runner.busy).toBe(true);
    expect(seen[0]!.mask).toBe(masks[0]);
    seen[0]!.progress({ step: 1, steps: 3, width: 2048, height: 1366, tiles: 4 });
    expect(masks[0]!.dispose).not.toHaveBeenCalled();
    large.resolve(PNG);
    await done;
    expect(posted).toEqual([
      { type: 'job-progress', id: 1, kind: 'large', progress: { step: 1, steps: 3, width: 2048, height: 1366, tiles: 4 } },
      { type: 'job-done', id: 1, kind: 'large', result: PNG },
    ]);
    expect(masks[0]!.dispose).toHaveBeenCalledOnce();
    expect(runner.busy).toBe(false);
  });

  it('one at a time: a second start while one runs gets a job-error under its own id, and the first runs on', async () => {
    const { runner, posted, masks, large } = setup();
    const first = runner.start(LARGE);
    await runner.start(ZOOM);
    expect(posted).toEqual([{ type: 'job-error', id: 'z', kind: 'zoom', message: 'an export is already running', cancelled: false }]);
    // The refused job took no mask copy.
    expect(masks).toHaveLength(1);
    expect(runner.busy).toBe(true);
    large.resolve(PNG);
    await first;
    expect(posted.at(-1)).toMatchObject({ type: 'job-done', id: 1 });
  });

  it('a cancel by id reaches the job; a job that then ends without a result is reported cancelled', async () => {
    const { runner, posted, masks, large, seen } = setup();
    const done = runner.start(LARGE);
    runner.cancel(2);
    expect(seen[0]!.cancelled()).toBe(false);
    runner.cancel(1);
    expect(seen[0]!.cancelled()).toBe(true);
    large.reject(new Error('large render cancelled'));
    await done;
    expect(posted).toEqual([{ type: 'job-error', id: 1, kind: 'large', message: 'large render cancelled', cancelled: true }]);
    expect(masks[0]!.dispose).toHaveBeenCalledOnce();
    expect(runner.busy).toBe(false);
  });

  it('a failure is a one-line job-error (not cancelled), with the mask copy freed and the next job free to start', async () => {
    const { runner, posted, masks, large } = setup();
    await runner.start(ZOOM);
    expect(posted).toEqual([{ type: 'job-error', id: 'z', kind: 'zoom', message: 'this browser cannot encode webm video', cancelled: false }]);
    expect(masks[0]!.dispose).toHaveBeenCalledOnce();
    expect(runner.busy).toBe(false);
    const next = runner.start(LARGE);
    large.resolve(PNG);
    await next;
    expect(posted.at(-1)).toMatchObject({ type: 'job-done', id: 1, kind: 'large' });
  });

  it('a job without a mask gets none, and a cancel after the job has ended changes nothing', async () => {
    const posted: JobReply[] = [];
    let ctx: JobContext<'large'> | null = null;
    const kinds = {
      large: async (_job: unknown, c: JobContext<'large'>) => {
        ctx = c;
        return PNG;
      },
    } as unknown as JobKinds;
    const runner = new JobRunner(kinds, { post: (m) => posted.push(m), maskCopy: () => null });
    await runner.start(LARGE);
    expect(ctx!.mask).toBeNull();
    runner.cancel(1);
    expect(ctx!.cancelled()).toBe(false);
    expect(posted).toEqual([{ type: 'job-done', id: 1, kind: 'large', result: PNG }]);
  });
});
