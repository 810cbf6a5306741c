/**
 * One shared RecordsStore for the whole page (the session screen writes, the records screen lists;
 * both listen to its `change` event). Opening is lazy and retried after a failure.
 */
import { RecordsStore } from './records-store.js';

let opening: Promise<RecordsStore> | null = null;

export function getRecordsStore(): Promise<RecordsStore> {
  if (!opening) {
    opening = RecordsStore.open().catch((err: unknown) => {
      opening = null;
      throw err;
    });
  }
  return opening;
}
