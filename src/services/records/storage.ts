/** Storage use and persistence (navigator.storage), with graceful answers where unsupported. */

export interface StorageInfo {
  /** Bytes used by this origin, or null when the browser does not say. */
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

export async function storageInfo(): Promise<StorageInfo> {
  const sm = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!sm) return { usage: null, quota: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    sm.estimate ? sm.estimate().catch(() => ({}) as StorageEstimate) : Promise.resolve({} as StorageEstimate),
    sm.persisted ? sm.persisted().catch(() => null) : Promise.resolve(null),
  ]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

/** Asks the browser to keep our records under storage pressure. Resolves to the grant (or null). */
export async function requestPersistence(): Promise<boolean | null> {
  const sm = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!sm?.persist) return null;
  try {
    if (sm.persisted && (await sm.persisted())) return true;
    return await sm.persist();
  } catch {
    return null;
  }
}
