/**
 * Collects files from a drop: plain files, and whole folders (recursively) where the browser
 * exposes them through webkitGetAsEntry. Entries must be taken synchronously inside the drop
 * event; reading them happens afterwards.
 */

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    out.push(await fileOf(entry as FileSystemFileEntry));
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call; keep reading until empty.
    for (;;) {
      const batch = await readEntries(reader);
      if (!batch.length) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

/** Synchronously grabs what the drop carries; the returned promise resolves to all files, folders expanded. */
export function filesFromDataTransfer(dt: DataTransfer | null): Promise<File[]> {
  if (!dt) return Promise.resolve([]);
  const entries: FileSystemEntry[] = [];
  const direct: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry?.isDirectory) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) direct.push(f);
    }
  }
  if (!dt.items?.length) direct.push(...Array.from(dt.files ?? []));
  return (async () => {
    const out = [...direct];
    for (const e of entries) {
      try {
        await walk(e, out);
      } catch {
        /* unreadable folder: skip it */
      }
    }
    // Folders often hold non-image side files (README, .DS_Store); images are kept, others go on to
    // be reported as errors only when dropped explicitly.
    return entries.length ? out.filter((f) => !f.name.startsWith('.')) : out;
  })();
}
