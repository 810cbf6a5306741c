/**
 * The slide session's controller wired for the page: the records store, the session intake (made
 * when the classifier arrives; photos picked while the model loads wait for it), the stored
 * evidence reader and the model's numbers. The app shell makes one and provides its controller to
 * the views (src/ui/app-context.ts).
 */
import { SessionController, type ImageIntake } from '../../core/slide/session-controller.js';
import type { LoadedClassifier } from '../model/classifier.js';
import type { RecordsStore } from '../records/records-store.js';
import { createSessionIntake } from './session-intake.js';
import { evidenceFromStoredField } from './stored-field-evidence.js';
import { fileDigest } from './file-digest.js';
import { confidentProbabilityOf } from '@malaria/contract';
import { busy } from '../busy.js';

function deferredIntake(): { promise: Promise<ImageIntake>; resolve: (intake: ImageIntake) => void } {
  let resolve: (intake: ImageIntake) => void = () => {};
  const promise = new Promise<ImageIntake>((r) => (resolve = r));
  return { promise, resolve };
}

export interface AppSession {
  readonly controller: SessionController;
  /** The classifier arrived (or is gone): the intake is made for it, and waiting photos go on. */
  setClassifier(classifier: LoadedClassifier | null): void;
}

export function createAppSession(store: () => Promise<RecordsStore>): AppSession {
  let classifier: LoadedClassifier | null = null;
  let intake: ImageIntake | null = null;
  /** Resolved with the intake when the model arrives (photos picked while it loads wait for it). */
  let intakeReady = deferredIntake();
  const controller = new SessionController({
    store,
    intake: () => intake ?? intakeReady.promise,
    evidenceFor: evidenceFromStoredField,
    digest: fileDigest,
    busy,
    model: () => {
      const m = classifier?.metadata;
      return {
        name: m?.name ?? null,
        queueRecall: m?.reviewQueue?.recall ?? null,
        confidentProbability: confidentProbabilityOf(m ?? null),
      };
    },
  });
  return {
    controller,
    setClassifier(next) {
      if (next === classifier) return;
      classifier = next;
      if (next) {
        intake = createSessionIntake(next);
        intakeReady.resolve(intake);
      } else if (intake) {
        intake = null;
        intakeReady = deferredIntake();
      }
    },
  };
}
