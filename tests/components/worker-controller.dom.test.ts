// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { ClientOptions } from '../../src/components/controllers/worker-client';
import type { FromWorker, ToWorker } from '../../src/workers/protocol';
import { DEFAULT_SETTINGS } from '../../src/engine/params/settings';
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
    const { worker, client, notices } = setup();
    worker.exportZoom({ frames: 6, fps: 30, size: 96, stepsPerFrame: 1, format: 'webm' });
    expect(worker.exportProgress).toEqual({ frame: 0, frames: 6 });
    expect(client.posted.at(-1)).toMatchObject({ type: 'export-zoom', id: 1, frames: 6 });
    client.say({ type: 'export-progress', id: 1, frame: 3, frames: 6 });
    expect(worker.exportProgress).toEqual({ frame: 3, frames: 6 });
    client.say({ type: 'error', message: 'encoder failed', fatal: false, cause: 'engine' });
    expect(worker.exportProgress).toBeNull();
    worker.cancelExport();
    expect(client.posted.at(-1)).toEqual({ type: 'export-cancel', id: 1 });
    expect(notices).toContain('encoder failed');
  });

  it('injectFault: the worker faults by protocol message, a malformed one unvalidated', () => {
    const { worker, client } = setup();
    worker.injectFault('crash');
    worker.injectFault({ malformed: { type: 'no-such-message' } });
    expect(client.posted.at(-1)).toEqual({ type: 'inject-fault', fault: 'crash' });
    expect(client.raw).toEqual([{ type: 'no-such-message' }]);
  });
});
