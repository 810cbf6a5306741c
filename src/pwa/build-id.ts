/** The running build's id, defined at build time by build/pwa-plugin.ts ("dev" where undefined, e.g. unit tests). */
declare const __APP_BUILD_ID__: string | undefined;

export const APP_BUILD_ID: string = typeof __APP_BUILD_ID__ === 'string' ? __APP_BUILD_ID__ : 'dev';
