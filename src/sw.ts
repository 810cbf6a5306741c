/// <reference lib="webworker" />
/**
 * The service worker. Precaches everything the app needs to start and classify offline (app shell,
 * model files, every tfjs WASM binary, icons, manifest) with content-hashed revisions, and serves it
 * cache-first. A new version installs in the background and WAITS: the page decides when to activate
 * it (see src/pwa/update-state.ts), so an update can never interrupt a running batch.
 *
 * `self.__WB_MANIFEST` is replaced at build time by build/pwa-plugin.ts (workbox-build injectManifest).
 * Nothing here talks to any origin but the app's own.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };
declare const __APP_BUILD_ID__: string;

/** Message the page sends after the user accepted an update and nothing is busy. */
const SKIP_WAITING = 'SKIP_WAITING';
/** Lets the page ask which build a (waiting or active) worker belongs to. */
const GET_BUILD_ID = 'GET_BUILD_ID';

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (type === SKIP_WAITING) {
    void self.skipWaiting();
  } else if (type === GET_BUILD_ID) {
    event.ports[0]?.postMessage({ buildId: __APP_BUILD_ID__ });
  }
});

// First install: take control of the already-open page so it works offline without a reload.
// Updates still wait (no skipWaiting here): clientsClaim only runs once this worker is activated.
clientsClaim();
cleanupOutdatedCaches();

// Query strings such as ?backend=wasm must not miss the cache.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/^utm_/, /^backend$/] });

// Any in-scope navigation (e.g. "/?backend=webgl", a bookmarked deep link) gets the precached shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
