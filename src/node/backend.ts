import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { askForShaderF16 } from '../engine/plan/precision';

import type { NodeBackend } from './backend-names';

export { NODE_BACKENDS, type NodeBackend } from './backend-names';

/**
 * Selects a tfjs backend in Node. wasm is the fastest on a CPU; webgpu goes through the npm `webgpu` package
 * (Dawn), which needs an adapter: a GPU driver, or SwiftShader via VK_ICD_FILENAMES.
 */
export async function useNodeBackend(name: NodeBackend): Promise<string> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const threads = wasmThreads();
    // Unpatched, tfjs's threaded build would try to start workers from Blob URLs, which Node cannot load.
    if (threads > 1 && threadsPatchApplied()) {
      // tfjs turns wasm threads off in Node (tfjs issue #3830); patches/ makes its threaded build start there.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasm.setThreadsCount(threads);
    }
  } else if (name === 'webgpu') {
    await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new Error(`backend ${name} failed to start: ${(e as Error).message}`);
  }
  // setBackend can resolve false and silently leave another backend active.
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} is not available on this machine`);
  await tf.ready();
  return tf.getBackend();
}

/**
 * XNNPACK threads for the wasm backend in Node: every core unless DREAMSTREAM_WASM_THREADS says otherwise
 * (1 turns threads off). Must be decided before the backend first starts.
 */
export function wasmThreads(): number {
  const raw = process.env.DREAMSTREAM_WASM_THREADS;
  const cores = availableParallelism();
  if (raw === undefined || raw === '') return cores;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`DREAMSTREAM_WASM_THREADS must be a whole number ≥ 1 (got "${raw}")`);
  return Math.min(n, cores);
}

/** Whether patches/@tensorflow+tfjs-backend-wasm is in the installed package (npm install --ignore-scripts skips it). */
function threadsPatchApplied(): boolean {
  if (patchApplied === undefined) {
    try {
      const bundle = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      patchApplied = readFileSync(bundle, 'utf8').includes('writeNodeThreadScripts');
    } catch {
      patchApplied = false;
    }
    if (!patchApplied) console.warn('wasm threads need patches/ applied (npm install runs patch-package): running single-threaded');
  }
  return patchApplied;
}
let patchApplied: boolean | undefined;

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const NO_ADAPTER =
  'backend webgpu is not available on this machine (no WebGPU adapter: needs a GPU driver, or SwiftShader from Debian packages chromium and libvulkan1)';

async function installNodeWebGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  const { existsSync } = await import('node:fs');
  // Without a GPU driver Dawn finds no adapter; SwiftShader (from Debian's chromium) is a CPU fallback.
  if (!process.env.VK_ICD_FILENAMES && process.env.DREAMSTREAM_SWIFTSHADER !== '0' && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  let mod: { create: (o: string[]) => unknown; globals: Record<string, unknown> };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    throw new Error(`backend webgpu needs the npm package "webgpu" (a devDependency): ${(e as Error).message}`);
  }
  if (!adapterInChildProcess()) throw new Error(NO_ADAPTER);
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]) as { requestAdapter(): Promise<unknown> };
  if (!(await gpu.requestAdapter())) throw new Error(NO_ADAPTER);
  askForShaderF16(gpu);
  Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu }, configurable: true, writable: true });
}

/**
 * Whether Dawn finds an adapter, asked in a child process: when it finds none, Dawn writes its own warnings
 * ("Couldn't load Vulkan…") to stderr from native code, where this process could not silence them.
 */
function adapterInChildProcess(): boolean {
  const url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  const probe = `const { create } = await import(${JSON.stringify(url)}); process.exit((await create([]).requestAdapter()) ? 0 : 1);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}
