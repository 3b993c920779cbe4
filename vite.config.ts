import { availableParallelism } from 'node:os';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * The unit tests that run WebGPU in Node on a CPU-emulated adapter, multi-threaded: SwiftShader, and (the f16 plan,
 * in a child process) Mesa's lavapipe.
 */
const SWIFTSHADER_TESTS = ['tests/engine/plan.test.ts', 'tests/engine/backends.test.ts', 'tests/engine/plan-f16.test.ts'];

/** Test files that run at once (maxWorkers below). */
const TEST_WORKERS = 2;
/**
 * The wasm backend's threads in each of those files (and the CLI processes they start): their share of the cores.
 * Left at every core, two files at once ran four XNNPACK threads on 2 cores, and the unit project took 270 s
 * instead of 177 s: the threads of a parallel kernel wait on one another, and one of them was always descheduled.
 */
const WASM_THREADS_PER_WORKER = String(Math.max(1, Math.floor(availableParallelism() / TEST_WORKERS)));

export default defineConfig({
  // Relative base so the built site works from any folder (a gallery's USB stick, a sub-path).
  base: './',
  worker: { format: 'es' },
  plugins: [
    // The installable app that runs with no server after its first load (src/sw.ts precaches the site; src/pwa.ts
    // registers it from the app's page, only in a build). The worker adds COOP/COEP to what it serves.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'autoUpdate',
      injectRegister: false,
      // The icons are in the glob already (and the plugin adds manifest.webmanifest itself).
      includeManifestIcons: false,
      injectManifest: {
        // The pages, the scripts and worker bundles, the wasm binaries, the model, the samples, the icons. Not the
        // source maps, nor the browser benchmark (bench.html and its 4 MB worker), which is no part of an installation.
        globPatterns: ['**/*.{html,js,css,wasm,json,bin,jpg,png}'],
        globIgnores: ['**/*.map', 'bench.html', 'assets/bench*'],
        // The largest file is the model's weights.bin (about 9 MB); the dream worker bundle is about 4.5 MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
      manifest: {
        name: 'dreamstream',
        short_name: 'dreamstream',
        description: 'A pretrained image network dreaming in real time: DeepDream zoom streams and style transfer.',
        id: './',
        start_url: './',
        scope: './',
        display: 'fullscreen',
        display_override: ['fullscreen', 'standalone'],
        orientation: 'any',
        background_color: '#000000',
        theme_color: '#000000',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // The installation: the kiosk playlist, controls and cursor hidden (README: Running an installation).
        shortcuts: [{ name: 'Installation mode (kiosk)', short_name: 'Kiosk', url: './?kiosk', icons: [{ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' }] }],
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 8192,
    minify: false,
    rollupOptions: { input: { main: 'index.html', embed: 'embed.html', bench: 'bench.html' } },
  },
  // Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer). Every asset is same-origin.
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION },
  test: {
    pool: 'forks',
    // Two test processes at once even on a 2-core machine (Vitest would run one there): most files wait on a CLI
    // process, a wasm kernel's threads or SwiftShader for a share of their time.
    maxWorkers: TEST_WORKERS,
    // Files share their worker process (one per worker, not one per file): each file started its own Node, loaded
    // tfjs and compiled the wasm backend again, about a minute of the suite on 2 cores. Files set the backend they
    // need in their own hooks, and the WebGPU-in-Node files share one device and its compiled pipelines.
    isolate: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    projects: [
      // Everything but the WebGPU-in-Node tests, two files at a time...
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: SWIFTSHADER_TESTS, env: { DREAMSTREAM_WASM_THREADS: WASM_THREADS_PER_WORKER } } },
      // ...then the WebGPU-in-Node tests, one at a time and by themselves: a SwiftShader queue takes every core it
      // can, and two of them at once (or one beside a busy neighbour) took several times as long.
      { extends: true, test: { name: 'swiftshader', include: SWIFTSHADER_TESTS, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
