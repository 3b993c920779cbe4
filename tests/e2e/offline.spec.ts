/**
 * The gallery machine: after one load of the built site, the app runs with the server gone and the network off.
 * The built folder (E2E_OUT_DIR, as the Playwright config serves it, else dist/) is served here by a server this
 * test starts on a free port and stops, so the preview server of the other tests is untouched, and so "no
 * server" is literally true: after the first load nothing listens on that port any more.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { errorLog, expectChanged, recordDreamEvents, stageShot, waitForChange, waitForIteration, waitForPicture } from './helpers';

const OUT_DIR = resolve(process.env.E2E_OUT_DIR ?? 'dist');
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** A static server for the built folder, like any plain host: with the isolation headers, or (`isolate: false`) without. */
async function serve(isolate: boolean): Promise<{ origin: string; stop: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(OUT_DIR, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(OUT_DIR)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...(isolate ? ISOLATION : {}) }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return { origin, stop };
}

/** The URLs the built service worker precaches (the manifest Workbox injected into sw.js). */
function precacheList(): string[] {
  const sw = readFileSync(join(OUT_DIR, 'sw.js'), 'utf8');
  const list = JSON.parse(/precacheAndRoute\((\[[\s\S]*?\])\s*,/.exec(sw)![1]!) as { url: string }[];
  return [...new Set(list.map((e) => e.url))].sort();
}

/** Waits until the service worker controls the page and has precached every file of the build. */
async function waitForPrecache(page: import('@playwright/test').Page, expected: string[]): Promise<void> {
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 90_000 }).toBe('activated');
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('workbox-precache'));
    const base = new URL('./', location.href);
    const urls: string[] = [];
    for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname.slice(base.pathname.length));
    return { names, urls: [...new Set(urls)].sort() };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.urls).toEqual(expected);
}

test('after one load the app reloads and dreams with the server stopped and the network off', async ({ page, context }) => {
  test.setTimeout(120_000);
  const expected = precacheList();
  expect(expected).toEqual(expect.arrayContaining(['index.html', 'models/inception_v3/model.json', 'models/inception_v3/weights.bin', 'samples/chelsea.jpg']));
  expect(expected.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(expected.some((u) => /dream\.worker-.*\.js$/.test(u))).toBe(true);

  const server = await serve(true);
  await page.addInitScript(recordDreamEvents);
  await page.goto(`${server.origin}/?res=80&layers=mixed0`);
  await waitForPrecache(page, expected);

  // No server and no network: the port refuses connections, and the browser is offline.
  await server.stop();
  await expect(fetch(`${server.origin}/`)).rejects.toThrow();
  await context.setOffline(true);
  const failed: string[] = [];
  const consoleErrors: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await waitForIteration(page, 2, 90_000);
  // The pages, workers and wasm came from the service worker, still cross-origin isolated (wasm threads).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // A picture, not a black or flat box, and it moves on.
  const first = await waitForPicture(page, 'body', 30_000);
  const at = (await waitForIteration(page, 2)).iteration;
  await waitForIteration(page, at + 3, 60_000);
  expectChanged(first, (await waitForChange(() => stageShot(page), first)).after);
  await page.screenshot({ path: 'test-results/offline-reloaded.png' });
  expect(await errorLog(page)).toEqual([]);

  // The installation's own address (the manifest's Kiosk shortcut), never loaded before, starts offline too.
  const kiosk = await page.goto(`${server.origin}/?kiosk&preset=classic&res=80&layers=mixed0`);
  expect(kiosk?.fromServiceWorker()).toBe(true);
  await expect(page.locator('dream-app')).toHaveAttribute('kiosk', '');
  await expect(page.locator('dream-app aside')).toBeHidden();
  await waitForIteration(page, 2, 60_000);
  await waitForPicture(page, 'body', 30_000);
  await page.screenshot({ path: 'test-results/offline-kiosk.png' });
  expect(await errorLog(page)).toEqual([]);

  expect(failed).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('on a host that sends no isolation headers, the service worker supplies them', async ({ page }) => {
  test.setTimeout(90_000);
  const server = await serve(false);
  try {
    await page.addInitScript(recordDreamEvents);
    await page.goto(`${server.origin}/?res=80&layers=mixed0`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await waitForPrecache(page, precacheList());
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await waitForIteration(page, 1, 60_000);
    expect(await errorLog(page)).toEqual([]);
  } finally {
    await server.stop();
  }
});
