/**
 * The app's shared services, as @lit/context contexts: <malaria-app> provides them, the views
 * consume them (nothing is passed down by property or created by a view on its own).
 *  - classifierContext: the loaded classifier, null while the model loads (views re-render when it
 *    arrives);
 *  - recordsStoreContext: the page's one records store (opened lazily, services/records/records-service.ts);
 *  - sessionControllerContext: the slide session's controller (core/slide/session-controller.ts),
 *    wired to the store and the session intake by services/session/app-session.ts.
 * Types only from services and core here: this module stays in the first chunk without tfjs.
 */
import { createContext } from '@lit/context';
import type { LoadedClassifier } from '../services/model/classifier.js';
import type { RecordsStore } from '../services/records/records-store.js';
import type { SessionController } from '../core/slide/session-controller.js';

export const classifierContext = createContext<LoadedClassifier | null>(Symbol('malaria-classifier'));

/** Opens (once) and returns the page's records store. */
export type RecordsStoreAccess = () => Promise<RecordsStore>;
export const recordsStoreContext = createContext<RecordsStoreAccess>(Symbol('malaria-records-store'));

export const sessionControllerContext = createContext<SessionController>(Symbol('malaria-session-controller'));
