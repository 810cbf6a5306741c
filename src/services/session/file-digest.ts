/**
 * A photo's identity for the slide session: SHA-256 of the file's bytes (Web Crypto), as hex. Same
 * bytes, same digest, whatever the file is called, so a field photo picked twice is refused rather than
 * counted twice (SessionController). crypto.subtle exists only in secure contexts (https,
 * localhost); elsewhere this throws and the controller adds the photo unchecked.
 */
export async function fileDigest(file: Blob): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('Web Crypto is not available (not a secure context).');
  const hash = await subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
