/** What the WebGL probe worker (webgl-probe.worker.ts) exposes through the worker bridge. */
export interface WebGLProbe {
  available: boolean;
  renderer: string | null;
}

export interface WebGLProbeApi {
  /** `{ available, renderer }`, or `{ unsupported: true }` without OffscreenCanvas WebGL. */
  probe(): Promise<WebGLProbe | { unsupported: true }>;
}
