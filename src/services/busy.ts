import { BusyState } from '../core/shared/busy-state.js';

/**
 * The page's one BusyState: every long job (a batch, a field analysis, a session save, a records
 * import) holds it, and the app update waits until it is free (src/pwa/pwa-controller.ts).
 */
export const busy = new BusyState();
