import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { askForShaderF16 } from '../engine/plan/precision';
import type { BackendChoice } from './protocol';

export interface BackendInfo {
  backend: string;
  /** Why this backend runs, in words for the UI. */
  reason: string;
  adapter: string;
  /** The adapter is a CPU emulation (first frames take minutes of shader compilation there). */
  softwareAdapter: boolean;
  /**
   * On WebGPU, the adapter's maxStorageBufferBindingSize (tfjs asks the device for it): the largest tensor a tile
   * of a large render may have (engine/tiles/tile-size.ts).
   */
  maxBufferBytes?: number;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  limits?: { maxStorageBufferBindingSize?: number };
}

/** The WebGPU adapter's buffer binding limit, when there is one. */
const bufferLimit = (a: AdapterLike | null) => (a?.limits?.maxStorageBufferBindingSize ? { maxBufferBytes: a.limits.maxStorageBufferBindingSize } : {});

/** A software adapter (SwiftShader, llvmpipe, lavapipe) is a CPU emulation: wasm is 10–100× faster there. */
export function isSoftwareAdapter(a: AdapterLike): boolean {
  if (a.isFallbackAdapter || a.info?.isFallbackAdapter) return true;
  const text = `${a.info?.vendor ?? ''} ${a.info?.architecture ?? ''} ${a.info?.device ?? ''} ${a.info?.description ?? ''}`.toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/.test(text);
}

function describe(a: AdapterLike): string {
  const i = a.info ?? {};
  return [i.vendor, i.architecture, i.device || i.description].filter(Boolean).join(' ') || 'unknown adapter';
}

async function probeAdapter(): Promise<AdapterLike | null> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return null;
  try {
    return await gpu.requestAdapter();
  } catch {
    return null;
  }
}

async function activate(name: string): Promise<boolean> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: Parameters<typeof askForShaderF16>[0] }).gpu;
  if (name === 'webgpu' && gpu) askForShaderF16(gpu);
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    // setBackend can resolve false and leave another backend active: check what actually runs.
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * tfjs's wasm build caps its thread pool at half the logical cores (reported by navigator.hardwareConcurrency),
 * which is a single thread on a 2-core machine. The dreaming worker is the only heavy work on the page, so it
 * reports twice the cores to get one pool thread per core (up to 4), or the number the page asked for.
 */
function useCores(asked: number | undefined): void {
  const cores = asked ?? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  setThreadsCount(cores);
  const proto = Object.getPrototypeOf(navigator) as object;
  Object.defineProperty(proto, 'hardwareConcurrency', { configurable: true, get: () => cores * 2 });
}

function threadsNote(asked: number | undefined, isolated: boolean): string {
  if (!isolated) return 'single-threaded: serve with COOP/COEP headers for threads';
  const n = getThreadsCount();
  const count = n > 1 ? `${n} threads` : '1 thread';
  return asked ? `${count}, as asked` : count;
}

/**
 * Auto: WebGPU on a real GPU; on a software adapter or none, wasm (the fastest CPU backend), with the reason.
 * A forced backend that cannot start is an error, never silently replaced.
 */
export async function selectBackend(choice: BackendChoice, wasmPaths: Record<string, string>, threads?: number): Promise<BackendInfo> {
  // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP/COEP headers).
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', isolated);
  if (isolated) useCores(threads);
  const threadsNow = () => threadsNote(threads, isolated);
  setWasmPaths(wasmPaths);
  if (choice !== 'auto') {
    const adapter = choice === 'webgpu' ? await probeAdapter() : null;
    if (!(await activate(choice))) {
      const why = choice === 'webgpu' && !adapter ? ' (no WebGPU adapter in this browser)' : '';
      throw new Error(`backend "${choice}" was requested but is not available${why}`);
    }
    const note = choice === 'wasm' ? ` (${threadsNow()})` : '';
    return { backend: choice, reason: `forced by ?backend${note}`, adapter: adapter ? describe(adapter) : choice, softwareAdapter: adapter ? isSoftwareAdapter(adapter) : false, ...(choice === 'webgpu' ? bufferLimit(adapter) : {}) };
  }
  const adapter = await probeAdapter();
  if (adapter && !isSoftwareAdapter(adapter)) {
    if (await activate('webgpu')) return { backend: 'webgpu', reason: 'GPU adapter found', adapter: describe(adapter), softwareAdapter: false, ...bufferLimit(adapter) };
  }
  const reason = adapter ? `WebGPU adapter is software (${describe(adapter)}): wasm is faster` : 'no WebGPU adapter: using the fastest CPU backend';
  for (const name of ['wasm', 'cpu']) {
    if (await activate(name)) {
      return { backend: name, reason: name === 'wasm' ? `${reason} (${threadsNow()})` : reason, adapter: adapter ? describe(adapter) : 'none', softwareAdapter: adapter !== null };
    }
  }
  throw new Error('no tfjs backend could start');
}
