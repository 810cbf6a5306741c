/** Runtime templates for @lit/localize (loaded by src/i18n/locale.ts when the language is fr). */
import { localeTemplates } from '../i18n/templates.js';
import { fr } from './fr-table.js';

export const templates = localeTemplates(fr);
