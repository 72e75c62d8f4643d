"""The tablet speaks the operator's language (issue 23, the terminal's side), in a real Chromium
against a real Odoo server: an operator whose language is German logs in and the queue and the
work order are in German (static/terminal/i18n/de.json); at logout the tablet is back in the
plant's language (English here)."""
import json
import os

from .conftest import ROOT

I18N = os.path.join(ROOT, 'static', 'terminal', 'i18n')


def catalogue(lang):
    with open(os.path.join(I18N, '%s.json' % lang), encoding='utf-8') as handle:
        return json.load(handle)


def page_lang(t):
    return t.driver.execute_script('return document.documentElement.lang')


def screen_text(t):
    return t.driver.execute_script(
        'return document.getElementById("bar").innerText + "\\n" + document.getElementById("main").innerText')


def test_a_german_operator_gets_the_tablet_in_german_and_the_next_one_english(browser, live_server, floor):
    de, en = catalogue('de'), catalogue('en')
    live_server.rpc('res.lang', 'load_lang', 'de_DE')
    live_server.rpc('hr.employee', 'write', [floor.employee_id], {'lang': 'de_DE'})
    t = browser
    t.set_up(floor.token)
    assert page_lang(t) == 'en'
    t.wait_text('#main', en['login.title'])
    t.login_badge(floor.badge)
    t.wait(lambda: page_lang(t) == 'de', 10, 'the tablet did not switch to German')
    t.wait_text('#main', de['queue.title'])
    assert t.text('#logout') == de['bar.logout']
    t.open_workorder(floor.workorder_id)
    text = screen_text(t)
    for key in ('action.produce', 'action.scrap', 'action.down_start', 'tile.good', 'band.not_started',
                'why.start_first', 'wo.instructions', 'wo.components'):
        assert de[key] in text, key
        assert en[key] not in text, 'English "%s" on a German screen' % en[key]
    for key in ('queue.title', 'bar.logout', 'tile.elapsed', 'action.finish_sub'):
        assert en[key] not in text, 'English "%s" on a German screen' % en[key]
    # the keypad and its words, then a refusal of the dialog: German too
    t.action('start')
    t.wait(lambda: t.present('[data-action="stop"]'), 10)
    t.action('produce')
    t.wait_text('.keypad', de['produce.title'])
    t.tap('.keypad [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10)
    t.screenshot('workorder-german')
    # logout: back to the plant's language
    t.tap('#logout')
    t.tap('.dialog [data-key="stop"]')
    t.wait_body('screen', 'login')
    t.wait(lambda: page_lang(t) == 'en', 10, 'the tablet stayed German after the logout')
    t.wait_text('#main', en['login.title'])
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
