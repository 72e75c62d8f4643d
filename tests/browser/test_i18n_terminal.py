"""The tablet in the operator's language (issue 23), in a real Chromium against a real Odoo
server: an operator whose language is German logs in on a terminal of an English plant; the
queue, the work order, the scrap and downtime reason lists and a refusal show no English label
or message (no text of the English catalogue that German does not share, no English server
message), and the tablet speaks English again after the logout."""
import json
import os
import re
import uuid

from .conftest import ROOT

CATALOGUES = os.path.join(ROOT, 'static', 'terminal', 'i18n')


def texts(catalogue):
    for entry in catalogue.values():
        yield from (entry.values() if isinstance(entry, dict) else [entry])


def english_only_phrases():
    """The fixed parts of the English catalogue's texts (between their {placeholders}) that no
    German text contains, of four letters or more: none of them may show to a German operator."""
    with open(os.path.join(CATALOGUES, 'en.json'), encoding='utf-8') as handle:
        english = json.load(handle)
    with open(os.path.join(CATALOGUES, 'de.json'), encoding='utf-8') as handle:
        german = '\n'.join(texts(json.load(handle)))
    phrases = set()
    for text in texts(english):
        for piece in re.split(r'\{\w+\}', text):
            piece = piece.strip(' .,:;!?()—–-·+…◀✔✘±“”"\'')
            if len(re.sub(r'[^A-Za-z]', '', piece)) >= 4 and piece not in german:
                phrases.add(piece)
    return phrases


ENGLISH = english_only_phrases()


def assert_no_english(t, where):
    shown = t.driver.execute_script('return document.body.innerText')
    found = sorted(phrase for phrase in ENGLISH if re.search(r'(?<![A-Za-z])%s(?![A-Za-z])' % re.escape(phrase), shown))
    assert not found, 'English on the %s for a German operator: %s\n---\n%s' % (where, found, shown)


def test_a_german_operator_sees_no_english(browser, live_server, floor):
    assert len(ENGLISH) > 100
    rpc = live_server.rpc
    rpc('ir.translation', 'load_module_terms', [], ['product', 'shopfloor_mes'], ['de_DE'])
    # a German plant's names, so that the pictures show no English either
    rpc('hr.employee', 'write', [floor.employee_id], {'lang': 'de_DE', 'name': 'Jörg Weber %s' % floor.tag})
    rpc('mrp.workcenter', 'write', [floor.workcenter_id], {'name': 'Säge %s' % floor.tag})
    rpc('mes.terminal', 'write', [floor.terminal_id], {'name': 'Tablet Säge %s' % floor.tag})
    rpc('product.product', 'write', [floor.product_id], {'name': 'Hocker %s' % floor.tag})
    rpc('product.product', 'write', [floor.component_id], {'name': 'Rohr %s' % floor.tag})
    rpc('mrp.workorder', 'write', [floor.workorder_id], {'name': 'Zuschnitt %s' % floor.tag})
    code = 'WEG-%s' % uuid.uuid4().hex[:6].upper()
    reason_id = rpc('mes.reason', 'create', {'code': code, 'name': 'Teil heruntergefallen', 'kind': 'scrap'})
    t = browser
    t.set_up(floor.token)
    t.wait_text('#main', 'Scan your badge')                   # the plant's language before anyone logs in
    t.login_badge(floor.badge)
    t.wait_text('#main', 'Arbeitsaufträge')
    t.find('[data-wo-id="%d"]' % floor.workorder_id)            # the queue loaded, its order listed
    assert t.driver.execute_script('return document.documentElement.lang') == 'de'
    assert_no_english(t, 'queue')
    t.screenshot('i18n-queue-de')

    t.open_workorder(floor.workorder_id)
    t.wait_text('#main', 'Gutteile')
    assert_no_english(t, 'work order')
    t.action('start')
    t.find('[data-action="stop"]')
    t.wait_outbox_empty()
    assert_no_english(t, 'work order, running')

    # the reason lists: the addon's reasons in German (i18n/de.po), the plant's own as named
    t.action('downtime-start')
    t.wait_text('#modal', 'Mechanischer Ausfall', 30)
    assert_no_english(t, 'downtime reasons')
    t.tap('#modal [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the reason picker did not close')
    t.action('scrap')
    t.keypad('2', then_closed=False)
    t.wait_text('#modal', 'Außerhalb der Toleranz', 30)
    assert_no_english(t, 'scrap reasons')
    t.screenshot('i18n-scrap-reason-de')

    # a refusal: the reason was archived while the tablet still offered it
    rpc('mes.reason', 'write', [reason_id], {'active': False})
    t.pick_reason(code)
    t.wait_text('#rejected', 'Kein aktiver Grund der Art „Ausschuss“ hat den Code „%s“' % code, 30)
    assert 'No active' not in t.text('#rejected')
    assert_no_english(t, 'refusal')
    t.screenshot('i18n-refused-de')

    # logged out, the tablet speaks the plant's language again
    t.tap('#logout')
    t.tap('.dialog [data-key="keep"]', 10)
    t.wait_text('#main', 'Scan your badge')
