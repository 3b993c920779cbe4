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
  workers: 1,
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
