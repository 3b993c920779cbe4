/**
 * The browser benchmark page (bench.html): runs src/workers/bench.worker.ts with ?backend=&sizes=&runs= and
 * shows the rows; scripts/bench-browser.ts drives it headless and prints them.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BenchRow } from './engine/bench/measure';
import type { BenchRequest } from './workers/bench.worker';

const q = new URLSearchParams(location.search);
const abs = (u: string) => new URL(u, document.baseURI).href;
const request: BenchRequest = {
  backend: (q.get('backend') ?? 'wasm') as BenchRequest['backend'],
  sizes: (q.get('sizes') ?? '128,224').split(',').map(Number),
  runs: Number(q.get('runs') ?? 5),
  modelUrl: abs('models/inception_v3/'),
  wasmPaths: { 'tfjs-backend-wasm.wasm': abs(wasmPlain), 'tfjs-backend-wasm-simd.wasm': abs(wasmSimd), 'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded) },
};
const out = document.getElementById('rows')!;
const state = window as unknown as { benchRows: BenchRow[]; benchPlans: object[]; benchDone: boolean; benchError?: string };
state.benchRows = [];
state.benchPlans = [];
state.benchDone = false;
const worker = new Worker(new URL('./workers/bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (ev: MessageEvent<{ row?: BenchRow; plan?: object; done?: boolean; error?: string }>) => {
  if (ev.data.plan) {
    state.benchPlans.push(ev.data.plan);
    out.textContent += JSON.stringify(ev.data.plan) + '\n';
  }
  if (ev.data.row) {
    state.benchRows.push(ev.data.row);
    out.textContent += JSON.stringify(ev.data.row) + '\n';
  }
  if (ev.data.error) state.benchError = ev.data.error;
  if (ev.data.done || ev.data.error) state.benchDone = true;
};
worker.postMessage(request);
