/**
 * How this project runs Chromium headless, shared by the Playwright config, the browser benchmark and the soak
 * script: a system browser (no download possible here), no background traffic, and the four flags that give a
 * WebGPU adapter (SwiftShader) able to present to an OffscreenCanvas.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  // Playwright passes its own --enable-features; only the last one counts, so repeat its features here.
  '--enable-features=Vulkan,CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies',
];

/** Serves the built site (dist/) with `vite preview`; call the returned function to stop it. */
export async function serveBuilt(port: number): Promise<() => void> {
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 2500));
  // npx starts vite as a grandchild: end the whole process group.
  return () => process.kill(-server.pid!, 'SIGTERM');
}
