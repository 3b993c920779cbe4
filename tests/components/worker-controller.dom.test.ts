// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { ClientOptions } from '../../src/components/controllers/worker-client';
import type { FromWorker, ToWorker } from '../../src/workers/protocol';
import { DEFAULT_SETTINGS } from '../../src/engine/params/settings';
import { jobView } from '../../src/components/jobs/job-state';
import { newHost } from './controller-host';

/** The client stands in for the worker: it records what it was sent, and the test speaks for the worker. */
const clients: FakeClient[] = [];
class FakeClient {
  posted: ToWorker[] = [];
  raw: unknown[] = [];
  restartCount = 0;
  constructor(readonly opts: ClientOptions) {
    clients.push(this);
  }
  start(): void {
    this.opts.canvas();
  }
  post(m: ToWorker): void {
    this.posted.push(m);
  }
  postRaw(data: unknown): void {
    this.raw.push(data);
  }
  dispose(): void {}
  say(m: FromWorker): void {
    this.opts.onMessage(m);
  }
  restart(reason: string): void {
    this.restartCount += 1;
    this.opts.onRestart(reason);
  }
}
vi.mock('../../src/components/controllers/worker-client', () => ({ WorkerClient: FakeClient }));
const { WorkerController } = await import('../../src/components/controllers/worker-controller');

function setup() {
  const host = newHost();
  const events: [string, unknown][] = [];
  for (const name of ['dream-ready', 'dream-stats', 'dream-error', 'dream-restart', 'dream-camera'])
    host.addEventListener(name, (e) => events.push([name, (e as CustomEvent).detail]));
  const notices: string[] = [];
  const acks = vi.fn();
  const worker = new WorkerController(host, {
    canvas: () => document.createElement('canvas'),
    look: () => ({ settings: DEFAULT_SETTINGS }),
    onCameraAck: acks,
    notify: (m) => notices.push(m),
  });
  worker.start(DEFAULT_SETTINGS, 'auto');
  return { worker, client: clients.at(-1)!, events, notices, acks };
}

const done = (paused: boolean): FromWorker => ({ type: 'control-done', action: paused ? 'pause' : 'resume', paused });

describe('WorkerController: controls shown at once, confirmed by the worker', () => {
  it('a press shows at once; an answer to an older press does not undo a newer one', () => {
    const { worker, client } = setup();
    worker.togglePause();
    expect(worker.paused).toBe(true);
    worker.togglePause();
    expect(worker.paused).toBe(false);
    // The answer to the first press (paused) arrives while the second is unanswered: it is not the state now.
    client.say(done(true));
    expect(worker.paused).toBe(false);
    client.say(done(false));
    expect(worker.paused).toBe(false);
    expect(client.posted.filter((m) => m.type === 'control').map((m) => (m as { action: string }).action)).toEqual(['pause', 'resume']);
  });

  it('the worker has the last word once every press is answered (a step leaves it paused)', () => {
    const { worker, client } = setup();
    worker.control('step');
    expect(worker.paused).toBe(true);
    client.say({ type: 'control-done', action: 'step', paused: true });
    worker.control('reset');
    client.say({ type: 'control-done', action: 'reset', paused: true });
    expect(worker.paused).toBe(true);
  });

  it('a restart forgets unanswered presses, and says so in a dream-restart event with the count', () => {
    const { worker, client, events, notices } = setup();
    worker.togglePause();
    client.restart('worker crashed: boom: restarting (1)');
    client.say(done(true));
    expect(worker.paused).toBe(true);
    expect(events).toContainEqual(['dream-restart', { reason: 'worker crashed: boom: restarting (1)', count: 1 }]);
    expect(notices).toContain('worker crashed: boom: restarting (1)');
  });
});

describe('WorkerController: what the worker says becomes events, toasts and state', () => {
  it('stats, errors and camera frames are public events', () => {
    const { worker, client, events, acks } = setup();
    client.say({ type: 'error', message: 'NaN in the picture', fatal: false, cause: 'nan' });
    client.say({ type: 'camera-ack' });
    client.say({ type: 'camera-ack' });
    expect(events).toEqual([
      ['dream-error', { message: 'NaN in the picture', cause: 'nan' }],
      ['dream-camera', { frames: 1 }],
      ['dream-camera', { frames: 2 }],
    ]);
    expect(acks).toHaveBeenCalledTimes(2);
    client.say({ type: 'ready', backend: 'wasm', reason: 'no WebGPU', adapter: '' });
    expect(worker.backendNote).toBe('wasm — no WebGPU');
  });

  it('an export shows progress until its video is ready, or until the engine fails', () => {
    const { worker, client, notices, events } = setup();
    const zoom = () => jobView(worker.jobs, 'zoom');
    worker.startJob({ kind: 'zoom', job: { frames: 6, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm' } });
    expect(zoom().running).toEqual({ id: 1, progress: { frame: 0, frames: 6 } });
    expect(client.posted.at(-1)).toMatchObject({ type: 'job-start', id: 1, kind: 'zoom', job: { frames: 6 } });
    client.say({ type: 'job-progress', id: 1, kind: 'zoom', progress: { frame: 3, frames: 6 } });
    expect(zoom().running?.progress).toEqual({ frame: 3, frames: 6 });
    worker.cancelJob(1);
    expect(client.posted.at(-1)).toEqual({ type: 'job-cancel', id: 1, kind: 'zoom' });
    client.say({ type: 'job-error', id: 1, kind: 'zoom', message: 'encoder failed', cancelled: false });
    expect(zoom().running).toBeNull();
    expect(notices).toContain('encoder failed');
    expect(events).toContainEqual(['dream-error', { message: 'encoder failed', cause: 'engine' }]);
    // An ended job takes no cancel.
    const sent = client.posted.length;
    worker.cancelJob(1);
    expect(client.posted).toHaveLength(sent);
  });

  it('injectFault: the worker faults by protocol message, a malformed one unvalidated', () => {
    const { worker, client } = setup();
    worker.injectFault('crash');
    worker.injectFault({ malformed: { type: 'no-such-message' } });
    expect(client.posted.at(-1)).toEqual({ type: 'inject-fault', fault: 'crash' });
    expect(client.raw).toEqual([{ type: 'no-such-message' }]);
  });
});

describe('WorkerController: one record of jobs by id', () => {
  const video = (name: string) => ({ kind: 'video', job: { file: new File([new Uint8Array(4)], name), name, flow: true, stepsPerFrame: 2, size: 96 } }) as const;

  it("a finished job's download joins its kind's, with a notice; another kind's panel sees none of it", () => {
    const { worker, client, notices } = setup();
    worker.startJob(video('clip.webm'));
    expect(client.posted.at(-1)).toMatchObject({ type: 'job-start', id: 1, kind: 'video', job: { name: 'clip.webm' } });
    client.say({ type: 'job-progress', id: 1, kind: 'video', progress: { frame: 2, frames: 8, etaS: 3 } });
    expect(jobView(worker.jobs, 'video').running).toEqual({ id: 1, progress: { frame: 2, frames: 8, etaS: 3 } });
    client.say({ type: 'job-done', id: 1, kind: 'video', result: { video: new ArrayBuffer(4), mime: 'video/webm', name: 'clip-dreamed.webm', frames: 8 } });
    const view = jobView(worker.jobs, 'video');
    expect(view.running).toBeNull();
    expect(view.files.map((f) => f.name)).toEqual(['clip-dreamed.webm']);
    expect(view.files[0]!.url).toMatch(/^blob:/);
    expect(notices).toContain('video ready: clip-dreamed.webm (8 frames)');
    expect(jobView(worker.jobs, 'zoom')).toEqual({ running: null, files: [], error: null });
  });

  it('a second job of a kind while one runs is refused on the page; a cancel is told as such, not as a failure', () => {
    const { worker, client, notices, events } = setup();
    worker.startJob(video('a.webm'));
    worker.startJob(video('b.webm'));
    expect(client.posted.filter((m) => m.type === 'job-start')).toHaveLength(1);
    expect(notices).toContain('a video is already being dreamed');
    client.say({ type: 'job-error', id: 1, kind: 'video', message: 'a.webm: video cancelled', cancelled: true });
    expect(notices.at(-1)).toBe('video cancelled');
    expect(jobView(worker.jobs, 'video')).toEqual({ running: null, files: [], error: null });
    expect(events.filter(([name]) => name === 'dream-error')).toEqual([]);
  });

  it("the worker's refusal ends only the job refused: the one running keeps its progress", () => {
    const { worker, client, notices } = setup();
    worker.startJob({ kind: 'zoom', job: { frames: 6, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm' } });
    worker.startJob({ kind: 'large', job: { size: 2048, steps: 1 } });
    client.say({ type: 'job-error', id: 2, kind: 'large', message: 'an export is already running', cancelled: false });
    expect(notices).toContain('an export is already running');
    expect(jobView(worker.jobs, 'large').running).toBeNull();
    expect(jobView(worker.jobs, 'zoom').running).toEqual({ id: 1, progress: { frame: 0, frames: 6 } });
  });

  it('a job dies with its worker: a restart ends it with a line naming it, and its panel offers to start again', () => {
    const { worker, client } = setup();
    worker.startJob(video('clip.webm'));
    client.restart('worker crashed: boom: restarting (1)');
    expect(jobView(worker.jobs, 'video')).toEqual({ running: null, files: [], error: 'clip.webm: stopped, the worker restarted' });
    // A late word from the old worker changes nothing.
    client.say({ type: 'job-progress', id: 1, kind: 'video', progress: { frame: 2, frames: 8, etaS: 3 } });
    expect(jobView(worker.jobs, 'video').running).toBeNull();
  });
});
