// Which language the tablet speaks: the logged-in operator's (the login answer's
// employee.lang), else the terminal's or the company's (GET /terminal), else English; and the
// plant's locale for numbers and dates (the terminal's or company's language).

import { currentLanguage, setLanguage, setLocale } from './i18n.js';
import { S } from './state.js';

/** The plant's language as GET /terminal says it (terminal.lang, else the company's). */
export function plantLanguage() {
  const info = S.terminal || {};
  return (info.terminal && info.terminal.lang) || info.lang || (info.company && info.company.lang) || null;
}

/** The language the tablet should speak now. */
export function wantedLanguage() {
  const employee = S.session && S.session.employee;
  return (employee && employee.lang) || plantLanguage() || 'en';
}

/** Switch to the wanted language (loads its catalogue); resolves true when it changed. */
export async function applyLanguage() {
  const before = currentLanguage();
  const now = await setLanguage(wantedLanguage());
  setLocale(plantLanguage() || now);
  return before !== now;
}
