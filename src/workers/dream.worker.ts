/// <reference lib="webworker" />
/**
 * The dreaming worker: owns the OffscreenCanvas and the tfjs backend, and runs the loop. It speaks only the
 * protocol in ./protocol.ts; anything else gets an error reply and the loop continues.
 */
import * as tf from '@tensorflow/tfjs';
import { Dreamer } from './dreamer';
import { fetchRunner } from './model-fetch';
import { Painter } from './painter';
import { selectBackend } from './backend-select';
import { parseToWorker, transferables, type FromWorker, type ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker): void => self.postMessage(m, transferables(m));
let dreamer: Dreamer | null = null;
let starting = false;

function fail(e: unknown, cause: Extract<FromWorker, { type: 'error' }>['cause'], fatal = false): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), fatal, cause });
}

async function init(m: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  if (dreamer || starting) return fail(new Error('already initialised'), 'protocol');
  starting = true;
  let info;
  try {
    info = await selectBackend(m.backend, m.wasmPaths, m.threads);
  } catch (e) {
    return fail(e, 'backend', true);
  }
  post({ type: 'ready', backend: info.backend, reason: info.reason, adapter: info.adapter });
  watchDevice();
  post({ type: 'progress', message: 'loading the model…' });
  try {
    const runner = await fetchRunner(m.modelUrl);
    post({
      type: 'progress',
      message:
        info.backend === 'webgpu'
          ? `compiling shaders for the first frame${info.softwareAdapter ? ' (a software GPU: this can take minutes)' : ''}…`
          : 'first frame…',
    });
    dreamer = new Dreamer(runner, new Painter(m.canvas, !(info.backend === 'webgpu' && info.softwareAdapter)), m.settings, post, info.maxBufferBytes);
  } catch (e) {
    return fail(e, 'engine', true);
  }
  for (const queued of early.splice(0)) handle(queued);
  dreamer.run().catch((e: unknown) => fail(e, 'engine', true));
}

/** On WebGPU, a lost device (driver reset, GPU process crash) is fatal for this worker: the page restarts it. */
function watchDevice(): void {
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  backend.device?.lost.then((info) => {
    dreamer?.stop();
    fail(new Error(`GPU device lost (${info.reason || 'unknown'}): ${info.message}`), 'device-lost', true);
  });
}

/** Messages that arrive while the model loads are replayed once it is ready. */
const early: ToWorker[] = [];

function handle(m: ToWorker): void {
  if (m.type === 'init') {
    void init(m);
    return;
  }
  if (!dreamer) {
    if (m.type === 'camera-frame') {
      // Nothing to blend into yet: drop the frame but free the camera to send the next one.
      m.image.close();
      post({ type: 'camera-ack' });
    } else if (m.type === 'audio') {
      // Sound comes every animation frame and only its latest features count: before the model is ready there is
      // nothing for it to move, and kept, it would fill the queue (a kiosk opens the microphone at start).
    } else if (early.length < 64) early.push(m);
    else fail(new Error('too many messages before the model was ready'), 'protocol');
    return;
  }
  const d = dreamer;
  try {
    switch (m.type) {
      case 'settings':
        d.setSettings(m.settings);
        break;
      case 'source':
        d.setSource(m.role, m.image);
        break;
      case 'camera-frame':
        d.cameraFrame(m.image);
        post({ type: 'camera-ack' });
        break;
      case 'control':
        d.control(m.action);
        break;
      case 'mask':
        d.setMask(m.mask);
        break;
      case 'restore':
        d.restore(m.image);
        break;
      case 'snapshot':
        d.snapshot(m.id, m.size).catch((e: unknown) => fail(e, 'engine'));
        break;
      case 'display':
        d.setDisplay(m);
        break;
      case 'job-start':
        void d.jobs.start(m);
        break;
      case 'job-cancel':
        d.jobs.cancel(m.id);
        break;
      case 'audio':
        d.setAudio(m.features);
        break;
      case 'pick':
        d.pick(m.u, m.v, { action: m.action, channel: m.channel }).catch((e: unknown) => fail(e, 'engine'));
        break;
      case 'inject-fault':
        injectFault(d, m.fault);
        break;
    }
  } catch (e) {
    fail(e, m.type === 'source' || m.type === 'camera-frame' ? 'source' : 'engine');
  }
}

/** Test hooks: each fault exercises the recovery a real one would need. */
function injectFault(d: Dreamer, fault: Extract<ToWorker, { type: 'inject-fault' }>['fault']): void {
  switch (fault) {
    case 'nan':
      // The loop's next losses read as NaN: it must report it and restart from the last good frame.
      d.injectNaN();
      break;
    case 'device-lost': {
      const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
      if (device) device.destroy();
      else fail(new Error('GPU device lost (simulated)'), 'device-lost', true);
      break;
    }
    case 'crash':
      // A real crash: the worker dies without a word; the page's watchdog must notice.
      d.stop();
      setTimeout(() => self.close(), 0);
      break;
  }
}

// A heartbeat: on WebGPU a first frame can take minutes of shader compilation (more on a software adapter) while
// the event loop stays free; the page only restarts a worker that has gone quiet.
setInterval(() => post({ type: 'alive' }), 5000);

self.onmessage = (ev: MessageEvent<unknown>) => {
  const r = parseToWorker(ev.data);
  if (!r.ok) return fail(new Error(r.error), 'protocol');
  handle(r.message);
};
