/**
 * The app's language (issue 14): English (source), French and Portuguese, with @lit/localize in
 * runtime mode. Chosen from the browser (navigator.languages) unless the user picked one in the
 * header (<locale-select>), which is remembered on the device (localStorage). <html lang> follows.
 * Numbers and dates use Intl for the matching region (src/core/format), e.g. fr-FR, pt-BR, pt-PT.
 */
import { configureLocalization } from '@lit/localize';
import { setFormatLocale } from '../core/format/format.js';

export const SOURCE_LOCALE = 'en';
export const TARGET_LOCALES = ['fr', 'pt'] as const;
export type AppLocale = typeof SOURCE_LOCALE | (typeof TARGET_LOCALES)[number];
export const APP_LOCALES: readonly AppLocale[] = [SOURCE_LOCALE, ...TARGET_LOCALES];

/** Each language's own name (shown in the switcher, never translated). */
export const LOCALE_NAMES: Record<AppLocale, string> = { en: 'English', fr: 'Français', pt: 'Português' };

const STORAGE_KEY = 'malaria-screen.locale';

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: TARGET_LOCALES,
  loadLocale: (locale) => (locale === 'fr' ? import('../locales/fr.js') : import('../locales/pt.js')),
});

export { getLocale };

function isAppLocale(l: string | null | undefined): l is AppLocale {
  return !!l && (APP_LOCALES as readonly string[]).includes(l);
}

/** The first of the browser's languages the app speaks ("fr-CA" → fr), else English. */
export function pickLocale(languages: readonly string[]): AppLocale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isAppLocale(base)) return base;
  }
  return SOURCE_LOCALE;
}

/** The Intl locale for numbers and dates: the browser's own region when it matches the language. */
export function intlLocaleFor(locale: AppLocale, languages: readonly string[]): string {
  const match = languages.find((tag) => tag.toLowerCase().split('-')[0] === locale && tag.includes('-'));
  if (match) return match;
  return locale === 'fr' ? 'fr-FR' : locale === 'pt' ? 'pt-PT' : 'en-US';
}

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined'
    ? []
    : navigator.languages?.length
      ? navigator.languages
      : [navigator.language];
}

function storedLocale(): AppLocale | null {
  try {
    const l = localStorage.getItem(STORAGE_KEY);
    return isAppLocale(l) ? l : null;
  } catch {
    return null;
  }
}

/** The language to start in: the remembered choice, else the browser's. */
export function initialLocale(): AppLocale {
  return storedLocale() ?? pickLocale(browserLanguages());
}

async function apply(locale: AppLocale): Promise<void> {
  setFormatLocale(intlLocaleFor(locale, browserLanguages()));
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  await setLocale(locale);
}

/** Called once at start-up, before the app renders. */
export function startLocale(): Promise<void> {
  return apply(initialLocale());
}

/** The user's choice in the header: applied at once and remembered on this device. */
export async function chooseLocale(locale: AppLocale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await apply(locale);
}

export function currentLocale(): AppLocale {
  const l = getLocale();
  return isAppLocale(l) ? l : SOURCE_LOCALE;
}
