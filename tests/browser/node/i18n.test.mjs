// The tablet's words (static/terminal/js/i18n.js): placeholders, plural forms by the
// language's rules, the English fallback per key, numbers in the plant's locale.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { baseLanguage, intlTag, setCatalogue, setLanguage, setLocale, t } from '../../../static/terminal/js/i18n.js';

const read = (lang) => JSON.parse(readFileSync(new URL(`../../../static/terminal/i18n/${lang}.json`, import.meta.url), 'utf8'));

test('Odoo language codes', () => {
  assert.equal(baseLanguage('de_DE'), 'de');
  assert.equal(baseLanguage('it'), 'it');
  assert.equal(baseLanguage(''), null);
  assert.equal(intlTag('de_CH'), 'de-CH');
  assert.equal(intlTag('not a tag!'), null);
});

test('plural forms, placeholders, the English fallback and the locale\'s numbers', async () => {
  setCatalogue('en', read('en'));
  setCatalogue('de', { ...read('de'), 'queue.title': undefined });
  await setLanguage('en_US');
  assert.equal(t('wo.pending', { count: 1 }), '1 action on this order waiting to be sent');
  assert.equal(t('wo.pending', { count: 3 }), '3 actions on this order waiting to be sent');
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(t('wo.on_it', {}), 'On it now: {names}');      // a missing parameter shows as such
  await setLanguage('de_DE');
  assert.equal(t('wo.pending', { count: 1 }), read('de')['wo.pending'].one.replace('{count}', '1'));
  assert.equal(t('queue.title'), 'Work orders');              // missing in German: English
  setLocale('de_DE');
  assert.equal(t('bar.sending', { count: 1234.5 }), read('de')['bar.sending'].replace('{count}', '1.234,5'));
  assert.equal(await setLanguage('xx_YY'), 'en');             // no catalogue: English
});
