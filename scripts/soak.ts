/**
 * Long-run check for real hardware: serves the built app, opens it in Chromium and logs memory and step rate
 * every interval, as JSON lines, then a summary. For a gallery install, run it for hours before opening day.
 *
 *   npm run build && npm run soak -- --minutes 60 [--query "res=512&preset=spiral"] [--interval 30] [--headed]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { Stats } from '../src/workers/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH, serveBuilt } from './chromium';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    interval: { type: 'string', default: '30' },
    query: { type: 'string', default: '' },
    port: { type: 'string', default: '4199' },
    headed: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const interval = Number(values.interval) * 1000;
const port = Number(values.port);

const stopServer = await serveBuilt(port);
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: !values.headed,
  args: [...CHROMIUM_ARGS, '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });

/** What the app reports through its public events (dream-stats, dream-error, dream-restart), kept in the page. */
interface SoakLog { last: Stats | null; restarts: number; errors: number }
await page.addInitScript(() => {
  const log: SoakLog = { last: null, restarts: 0, errors: 0 };
  (window as unknown as { soak: SoakLog }).soak = log;
  document.addEventListener('dream-stats', (e) => (log.last = e.detail));
  document.addEventListener('dream-error', () => (log.errors += 1));
  document.addEventListener('dream-restart', (e) => {
    log.restarts = e.detail.count;
    log.errors += 1;
  });
});
await page.goto(`http://127.0.0.1:${port}/?${values.query}`);

interface Sample { t: number; iteration: number; tensors: number; bytes: number; backend: string; restarts: number; errors: number }
const samples: Sample[] = [];
const start = Date.now();
let lastIteration = 0;
let lastT = start;
while (Date.now() - start < minutes * 60_000) {
  await page.waitForTimeout(interval);
  const s = await page.evaluate(() => {
    const { last, restarts, errors } = (window as unknown as { soak: SoakLog }).soak;
    return last ? { iteration: last.iteration, tensors: last.tensors, bytes: last.bytes, backend: last.backend, restarts, errors } : null;
  });
  if (!s) continue;
  const now = Date.now();
  const rate = s.iteration >= lastIteration ? ((s.iteration - lastIteration) * 1000) / (now - lastT) : Number.NaN;
  lastIteration = s.iteration;
  lastT = now;
  samples.push({ t: now - start, ...s });
  console.log(JSON.stringify({ minutes: +((now - start) / 60_000).toFixed(2), steps_per_s: +rate.toFixed(2), ...s }));
}
const first = samples[Math.min(1, samples.length - 1)];
const last = samples.at(-1);
if (first && last) {
  console.log(JSON.stringify({ summary: true, minutes, tensors_first: first.tensors, tensors_last: last.tensors, bytes_first: first.bytes, bytes_last: last.bytes, restarts: last.restarts, errors: last.errors }));
}
await browser.close();
stopServer();
