import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium';

/**
 * End-to-end tests in a real Chromium. Here that is Debian's /usr/bin/chromium (no browser download is possible);
 * set CHROMIUM_PATH to use another. The WebGPU flags give a SwiftShader (CPU-emulated) adapter that can present
 * to an OffscreenCanvas in a worker; without all four, WebGPU on a canvas fails headless.
 */
const executablePath = CHROMIUM_PATH;
const PORT = Number(process.env.E2E_PORT ?? 4173);
/** Another build folder (vite build --outDir X) lets two test runs share the machine without sharing dist/. */
const OUT_DIR = process.env.E2E_OUT_DIR ? ` --outDir ${process.env.E2E_OUT_DIR}` : '';
export const DEV_PORT = Number(process.env.E2E_DEV_PORT ?? 5174);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 240_000,
  expect: { timeout: 120_000 },
  // Two browsers at once: a page's worker spends much of its time waiting on the model's wasm threads, the encoder
  // or the page, so a second test uses the other core. The WebGPU tests are the exception (the projects below).
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 900, height: 560 },
    launchOptions: {
      executablePath,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    },
  },
  projects: [
    { name: 'app', testIgnore: /webgpu\.spec\.ts$/ },
    // SwiftShader's WebGPU queue takes every core it can get; beside another browser the page's screenshots waited
    // behind it for over 30 s. So these run last, by themselves.
    { name: 'webgpu', testMatch: /webgpu\.spec\.ts$/, dependencies: ['app'], workers: 1 },
  ],
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort${OUT_DIR}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // The dev server is what `npm start` runs: one test makes sure the app streams there too.
      command: `npx vite --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
