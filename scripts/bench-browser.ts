/**
 * The engine in headless Chromium, inside a worker as the app runs it: dream step, stream frame (step + zoom +
 * draw) and style iteration, per backend and size. Serves the built site (npm run build first).
 *
 *   npm run bench:browser -- [--backends wasm,webgpu] [--sizes 128,224,512] [--runs 5]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, serveBuilt } from './chromium';
import { markdownTable, type BenchRow } from '../src/engine/bench/measure';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgpu' },
    sizes: { type: 'string', default: '128,224,512' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '4198' },
  },
});
const port = Number(values.port);
const stopServer = await serveBuilt(port);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const rows: BenchRow[] = [];
for (const backend of values.backends.split(',')) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench.html?backend=${backend}&sizes=${values.sizes}&runs=${values.runs}`);
  let seen = 0;
  let plansSeen = 0;
  for (;;) {
    const state = await page.evaluate(() => {
      const w = window as unknown as { benchRows: unknown[]; benchPlans: unknown[]; benchDone: boolean; benchError?: string };
      return { rows: w.benchRows ?? [], plans: w.benchPlans ?? [], done: w.benchDone, error: w.benchError };
    });
    for (const r of state.rows.slice(seen)) {
      rows.push(r as BenchRow);
      console.log(JSON.stringify({ where: 'chromium-worker', ...(r as object) }));
    }
    seen = state.rows.length;
    for (const p of state.plans.slice(plansSeen)) console.log(JSON.stringify({ where: 'chromium-worker', ...(p as object) }));
    plansSeen = state.plans.length;
    if (state.error) console.error(`${backend}: ${state.error}`);
    if (state.done) break;
    await page.waitForTimeout(1000);
  }
  await page.close();
}
console.log('\n' + markdownTable(rows));
await browser.close();
stopServer();
