/** Runtime templates for @lit/localize (loaded by src/i18n/locale.ts when the language is pt). */
import { localeTemplates } from '../i18n/templates.js';
import { pt } from './pt-table.js';

export const templates = localeTemplates(pt);
