/**
 * App entry. index.html carries a static shell (header, tabs, the Slide view's first card,
 * "Loading the model…") that paints before any script runs; the root element, which replaces it,
 * is imported once that first paint has been presented (and recorded as the page's largest
 * contentful paint); the classifier (tfjs and the model, in its worker) starts loading with the
 * first frame and the app takes that load (docs/performance.md). The service worker is registered at once (docs/pwa.md).
 */
import { registerServiceWorker } from './pwa/pwa-controller.js';
import { afterFirstContentfulPaintRecorded, afterNextPaint } from './ui/after-paint.js';
import { errorMessage } from './core/shared/error-message.js';
import { startLocale } from './i18n/locale.js';

function showStartError(err: unknown): void {
  const status = document.querySelector('malaria-app .shell .loading span');
  if (status) status.textContent = `The app could not be started: ${errorMessage(err)}. Reload to try again.`;
}

// The language (browser or remembered choice, src/i18n/locale.ts) is loaded with the first frame,
// so the app's first render is already in it.
const locale = startLocale().catch(() => undefined);

const firstFrame = afterNextPaint();

// The classifier (tfjs, the model, in its worker) starts loading with the shell's first frame, not
// with the app: the wait below does not delay the model (the app takes this load).
void firstFrame
  .then(() => import('./services/model/classifier-client.js'))
  .then((m) => m.prestartClassifier(document.baseURI, location.search))
  .catch(() => undefined);

// The shell's paint must have been presented and recorded as the LCP candidate before the app
// replaces it (after-paint.ts): 90–800 ms after the first frame on a first visit here (SwiftShader).
// 1 s at most: a presentation slower than that is not waited for.
void firstFrame
  .then(() => afterFirstContentfulPaintRecorded(1000))
  .then(() => locale)
  // <malaria-app> (which pulls in the views it renders and <pwa-status>, in its header).
  .then(() => import('./ui/malaria-app.js'))
  .catch(showStartError);

registerServiceWorker();
