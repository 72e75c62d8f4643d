"""A refusal after an optimistic update explains itself in place (issue 19, item 4), in a real
Chromium against a real Odoo server: the screen showed the scrap at once; the server refuses it;
the refusal shows in the work order's status slot, and no action button moves."""
import uuid

from . import test_terminal as base
from .test_terminal_guards import on_workorder

BOXES = """return Array.from(document.querySelectorAll('#actions [data-action]'), (b) => {
  const r = b.getBoundingClientRect();
  return [b.dataset.action, Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];
});"""


def test_a_refusal_shows_in_place_and_no_button_moves(browser, live_server, floor):
    code = 'GONE-%s' % uuid.uuid4().hex[:6].upper()
    reason_id = live_server.rpc('mes.reason', 'create', {'code': code, 'name': 'Dropped part', 'kind': 'scrap'})
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.find('[data-action="stop"]')
    t.wait_outbox_empty()
    before = t.driver.execute_script(BOXES)
    # a supervisor archives the reason while the terminal still offers it
    live_server.rpc('mes.reason', 'write', [reason_id], {'active': False})
    base.scrap(t, 2, code)
    # (the scrap shows at once, but the refusal can come back before a poll sees it: not awaited)
    t.wait_text('#rejected', 'No active scrap reason has code "%s"' % code)
    t.wait_text('#scrap-count', '0')            # taken back
    note = t.find('#rejected')
    assert 'Not recorded: Scrap 2' in note.text
    # in the status slot, not in a panel above the screen; no toast over the buttons
    assert t.driver.execute_script("return !!document.querySelector('#wo-status #rejected')")
    assert not t.present('#banners #rejected') and not t.present('#flash')
    after = t.driver.execute_script(BOXES)
    assert after == before, 'the action buttons moved: %s -> %s' % (before, after)
    t.screenshot('refused-in-place')
    # Dismiss, in the slot too: nothing moves either
    t.tap('#rejected [data-dismiss]')
    t.wait(lambda: not t.present('#rejected'), 10, 'the refusal stayed after dismissing')
    assert t.driver.execute_script(BOXES) == before
    assert t.body('rejected') == '0'
