/** Reads whether a canvas offers WebGL and which renderer (the page and the probe worker share it). */
export function readWebGLRenderer(canvas: HTMLCanvasElement | OffscreenCanvas): {
  available: boolean;
  renderer: string | null;
} {
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return { available: false, renderer: null };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer };
}
