/** App entry: defines the root element (which pulls in the views it renders). */
import './ui/malaria-app.js';
// Offline support: <pwa-status> (rendered in the app header) and the service worker (docs/pwa.md).
import './ui/pwa-status.js';
import { registerServiceWorker } from './pwa/pwa-controller.js';

registerServiceWorker();
