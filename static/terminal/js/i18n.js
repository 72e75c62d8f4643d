// The tablet's words: every user-visible string goes through t(key, params), read from one
// catalogue per language (static/terminal/i18n/<lang>.json, served by the addon, no build
// step, precached by the service worker). A catalogue maps keys to text with {param}
// placeholders; a text with a count is an object of plural forms ({"one": …, "other": …})
// chosen by Intl.PluralRules. A key missing in a language falls back to English.
//
// Two settings: the language of the words (the logged-in operator's, else the terminal's or
// the company's, else English) and the plant's locale for numbers and dates.

export const DEFAULT_LANGUAGE = 'en';
const BASE = '/mes/terminal/i18n/';

const catalogues = new Map();     // language -> {key: text | {one, other, …}}
let language = DEFAULT_LANGUAGE;
let locale = 'en';                // BCP 47 tag of the plant, for Intl
let pluralRules = new Intl.PluralRules('en');

/** 'de_DE', 'de-DE' or 'de' -> 'de' (the catalogue's name); null for nothing usable. */
export function baseLanguage(code) {
  const match = /^([a-z]{2,3})(?:[_-]|$)/i.exec(String(code || ''));
  return match ? match[1].toLowerCase() : null;
}

/** Odoo's 'de_CH' -> 'de-CH' (Intl's form); a tag Intl does not know -> null. */
export function intlTag(code) {
  const tag = String(code || '').replace('_', '-');
  try {
    return Intl.getCanonicalLocales(tag)[0] || null;
  } catch {
    return null;
  }
}

/** Use this catalogue for this language (the app loads them; tests give them). */
export function setCatalogue(code, entries) {
  catalogues.set(code, entries || {});
}

async function loadCatalogue(code) {
  if (catalogues.has(code)) return true;
  try {
    const response = await fetch(`${BASE}${code}.json`, { credentials: 'omit' });
    if (!response.ok) return false;
    setCatalogue(code, await response.json());
    return true;
  } catch {
    return false;    // offline and never cached, or not JSON: the caller falls back
  }
}

/** Switch the words to this language (an Odoo code such as 'de_DE'); English when its
 * catalogue cannot be had. Resolves with the language now used. */
export async function setLanguage(code) {
  await loadCatalogue(DEFAULT_LANGUAGE);
  const wanted = baseLanguage(code) || DEFAULT_LANGUAGE;
  language = (await loadCatalogue(wanted)) ? wanted : DEFAULT_LANGUAGE;
  pluralRules = new Intl.PluralRules(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return language;
}

export const currentLanguage = () => language;

/** The plant's locale for numbers and dates (an Odoo code such as 'de_CH'); the language's
 * own when the plant's is not known. */
export function setLocale(code) {
  locale = intlTag(code) || intlTag(language) || 'en';
}

export const currentLocale = () => locale;

const formatNumber = (n) => n.toLocaleString(locale, { maximumFractionDigits: 3 });

/** The text of ``key`` in the current language, its {placeholders} filled from params
 * (numbers formatted in the plant's locale); the plural form chosen by params.count. */
export function t(key, params = {}) {
  let entry = (catalogues.get(language) || {})[key];
  if (entry === undefined) entry = (catalogues.get(DEFAULT_LANGUAGE) || {})[key];
  if (entry === undefined) return key;
  if (typeof entry === 'object' && entry !== null) {
    const form = pluralRules.select(Number(params.count) || 0);
    entry = entry[form] !== undefined ? entry[form] : entry.other;
  }
  return String(entry).replace(/\{(\w+)\}/g, (all, name) => {
    if (!(name in params)) return all;
    const value = params[name];
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}
