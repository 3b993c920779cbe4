import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative base so the built site works from any folder (a gallery's USB stick, a sub-path).
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { main: 'index.html', embed: 'embed.html', bench: 'bench.html' } },
  },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
