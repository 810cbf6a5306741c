/** The IndexedDB layout of the records (stores and indexes); the records themselves: ../../core/records/schema.ts. */
import type { DBSchema } from 'idb';
import type { FieldRecord, SessionRecord } from '../../core/records/schema.js';

export interface RecordsDbSchema extends DBSchema {
  sessions: {
    key: string;
    value: SessionRecord;
    indexes: { createdAt: number; identifierKey: string };
  };
  fields: {
    key: string;
    value: FieldRecord;
    indexes: { sessionId: string };
  };
}
