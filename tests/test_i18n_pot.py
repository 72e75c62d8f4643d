"""i18n/shopfloor_mes.pot is up to date and the translations are complete (issue 23).

The .pot is exported again from this test database (where `make test` updated the addon to the
checkout) with Odoo's own exporter (scripts/pot.sh, as `make pot` does), and its strings are
compared with the committed one: a new view label, field string, menu or ``_()`` message that
is not in the .pot fails here; so does a string whose German or Italian translation is missing
or drops a placeholder, and a tablet catalogue (static/terminal/i18n/*.json) that lacks a key."""
import ast
import json
import os
import re
import subprocess
import tempfile

from babel.messages.pofile import read_po

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, 'i18n')
PLACEHOLDER = re.compile(r'%\(\w+\)s|%[sd]')
BRACES = re.compile(r'\{\w+\}')
TRANSLATIONS = ('de', 'it')


def read_catalogue(path):
    with open(path, 'rb') as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_the_pot_has_every_string_of_the_addon_and_no_other():
    db = os.environ.get('MES_TEST_DB')
    assert db, 'MES_TEST_DB is not set: run the suite with `make test`'
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, 'fresh.pot')
        done = subprocess.run(['bash', os.path.join(ROOT, 'scripts', 'pot.sh')], cwd=ROOT, timeout=600,
                              env=dict(os.environ, POT_DB=db, POT_OUT=fresh),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        assert done.returncode == 0, done.stdout[-3000:]
        exported = set(read_catalogue(fresh))
    committed = set(read_catalogue(os.path.join(I18N, 'shopfloor_mes.pot')))
    missing, stale = sorted(exported - committed), sorted(committed - exported)
    assert not missing and not stale, (
        'i18n/shopfloor_mes.pot is out of date: run `make pot`, then translate the new strings in '
        'i18n/de.po and i18n/it.po.\nnot in the .pot: %r\nno longer in the addon: %r' % (missing, stale))


def test_german_and_italian_translate_every_string_with_its_placeholders():
    template = read_catalogue(os.path.join(I18N, 'shopfloor_mes.pot'))
    assert len(template) > 500
    for lang in TRANSLATIONS:
        translated = read_catalogue(os.path.join(I18N, lang + '.po'))
        untranslated = sorted(source for source in template if not translated.get(source))
        assert not untranslated, '%s.po lacks %d translations: %r' % (lang, len(untranslated), untranslated[:20])
        assert not set(translated) - set(template), '%s.po has strings the .pot has not' % lang
        for source in template:
            assert sorted(PLACEHOLDER.findall(translated[source])) == sorted(PLACEHOLDER.findall(source)), (
                lang, source, translated[source])


def test_each_translation_keeps_the_pot_s_references():
    """Odoo loads a PO entry as the translation of a ``_()`` message only through its
    ``#: code:`` reference (an entry without it is read as nothing): each translated entry
    carries the references the .pot gives its string."""
    def references(path):
        with open(path, 'rb') as handle:
            return {m.id: sorted(m.locations) for m in read_po(handle) if m.id}
    template = references(os.path.join(I18N, 'shopfloor_mes.pot'))
    for lang in TRANSLATIONS:
        translated = references(os.path.join(I18N, lang + '.po'))
        lost = sorted(source for source, where in template.items()
                      if where and not translated.get(source) and source in translated)
        assert not lost, ('%s.po has %d entries without the .pot\'s "#:" references (Odoo ignores them): '
                          'copy the references from i18n/shopfloor_mes.pot: %r' % (lang, len(lost), lost[:10]))


def test_every_raised_message_is_marked_for_translation():
    """A message raised to a user as a plain string literal is not in the .pot: wrap it in _()."""
    raising = {'UserError', 'ValidationError', 'AccessError', 'RedirectWarning', 'Warning'}
    found = []
    for folder in ('models', 'controllers', 'report'):
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if not name.endswith('.py'):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8') as handle:
                    tree = ast.parse(handle.read(), path)
                for node in ast.walk(tree):
                    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) in raising and node.args:
                        first = node.args[0]
                        if isinstance(first, ast.BinOp):
                            first = first.left
                        if isinstance(first, (ast.Str, ast.JoinedStr)):
                            found.append('%s:%d' % (os.path.relpath(path, ROOT), node.lineno))
    assert not found, 'messages raised without _(): %s' % found


def test_the_tablet_catalogues_have_every_key_of_english_with_its_placeholders():
    folder = os.path.join(ROOT, 'static', 'terminal', 'i18n')
    with open(os.path.join(folder, 'en.json'), encoding='utf-8') as handle:
        english = json.load(handle)
    for lang in TRANSLATIONS:
        with open(os.path.join(folder, lang + '.json'), encoding='utf-8') as handle:
            catalogue = json.load(handle)
        # (a key English no longer has is harmless: the tablet never asks for it)
        assert not set(english) - set(catalogue), (lang, 'untranslated', sorted(set(english) - set(catalogue)))
        for key, text in english.items():
            mine = catalogue[key]
            assert isinstance(mine, dict) == isinstance(text, dict), (lang, key)
            if isinstance(text, dict):
                assert 'other' in mine, (lang, key)
                text, mine = ' '.join(text.values()), ' '.join(mine.values())
            assert set(BRACES.findall(mine)) == set(BRACES.findall(text)), (lang, key, mine)
            assert mine.strip(), (lang, key)
