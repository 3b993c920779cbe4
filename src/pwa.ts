/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The installable, offline app: registers the service worker (src/sw.ts) of the built site. Only the app's own
 * page does (a page holding <dream-app>): a page that embeds <dream-stream> (embed.html, or another site using the
 * bundle) registers nothing and is never reloaded by an update. In the dev server this is a no-op.
 *
 * Updates suit an installation left running for days: the browser is asked for a new build every hour; a new
 * one is precached in the background, takes over, and the page reloads onto it (the look is in the URL, so the
 * reload comes back to the same settings and, in kiosk mode, to the installation). Offline, the check fails
 * quietly and the cached build keeps running.
 */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !document.querySelector('dream-app')) return;
  void import('virtual:pwa-register').then(({ registerSW }) =>
    registerSW({
      immediate: true,
      onRegisteredSW(_url, registration) {
        if (!registration) return;
        // Ask that the precache is never evicted under storage pressure (Chromium decides without a prompt).
        void navigator.storage?.persist?.().catch(() => false);
        setInterval(() => {
          if (navigator.onLine) registration.update().catch(() => undefined);
        }, UPDATE_CHECK_MS);
      },
      onRegisterError(e: unknown) {
        console.warn('dreamstream: the service worker could not be registered; the app runs, but not offline', e);
      },
    }),
  );
}
