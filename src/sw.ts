/// <reference lib="webworker" />
/**
 * The service worker of the built app (vite-plugin-pwa, injectManifest; never in the dev server): the whole site is
 * precached on the first load (the pages, the scripts and worker bundles, the tfjs wasm binaries, the model, the
 * samples, the icons), so the app keeps running with no server and no network. Every response it serves carries
 * the cross-origin isolation headers (COOP/COEP, the same as vite.config.ts), so the wasm backend keeps its threads
 * offline and on a static host that sends no headers at all.
 *
 * Updates: a new build's worker precaches in the background, takes over at once (skipWaiting, clientsClaim) and
 * drops the old build's files; the page (src/pwa.ts) then reloads itself onto the new build.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The response with the isolation headers added (an opaque or error response is passed on as it is). */
function isolated(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  if (Object.entries(ISOLATION).every(([k, v]) => response.headers.get(k) === v)) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = { handlerWillRespond: async ({ response }) => isolated(response) };

addPlugins([isolation]);
// Any query matches the precached file: the look lives in the URL (`?kiosk&preset=spiral`, `?res=80`).
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/], directoryIndex: 'index.html', cleanURLs: false });
cleanupOutdatedCaches();
// Whatever is not precached (bench.html, a picture URL on this origin) comes from the network, isolated the same way.
registerRoute(({ url, request }) => url.origin === self.location.origin && request.method === 'GET', new NetworkOnly({ plugins: [isolation] }));

void self.skipWaiting();
clientsClaim();
