/** Debian's Chromium (Playwright's browser download is unavailable here) and the flags every run needs. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Software WebGL (SwiftShader) so the WebGL backend can run headless.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];
