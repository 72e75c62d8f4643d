"""Audit: what a terminal sent and what was posted are append-only. The inbox refuses edits and
deletes from everyone; posted journal entries of production cannot be edited, deleted or
cancelled, even by the administrator through the ORM; a correction is a new fact that names who
made it and why."""
import os
import re

from odoo.exceptions import AccessError, UserError

from .test_costing import CostingCase
from .test_security_access import SecurityCase

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


class TestInboxIsAppendOnly(SecurityCase):

    def test_no_edit_no_delete_for_anyone_and_no_illegal_state_change(self):
        self.send_ok([self.event('start', 0)])
        row = self.env['mes.event'].search([('state', '=', 'applied')], limit=1)
        for user in (self.supervisor, self.finance, self.operator, self.env.user):
            for values in ({'state': 'dead'}, {'raw': '{}'}, {'qty': 99}, {'discard_reason': 'x'}):
                with self.assertRaises(AccessError, msg=(user.login, values)):
                    row.sudo(user).write(values)
            with self.assertRaises(AccessError):
                row.sudo(user).unlink()
        # even the internal state machine refuses what history makes impossible
        with self.assertRaises(UserError):
            row._set_state('dead')
        with self.assertRaises(UserError):
            row.sudo(self.supervisor).action_discard('an applied event cannot be discarded')
        self.assertEqual(row.state, 'applied')

    def test_a_discard_names_who_and_why_and_the_raw_json_stays(self):
        event = self.event('scrap', 3, data={'qty': 1, 'reason': 'NOPE'})
        row = self.assert_rejected(event, 'reason_unknown')
        raw = row.raw
        with self.assertRaises(UserError):
            row.sudo(self.supervisor).action_discard('   ')
        row.sudo(self.supervisor).action_discard('entered twice on paper')
        self.assertEqual((row.state, row.discarded_by, row.discard_reason), ('discarded', self.supervisor,
                                                                            'entered twice on paper'))
        self.assertTrue(row.discarded_at)
        self.assertEqual(row.raw, raw)
        # a repeat of the discarded event is answered with its first outcome, nothing applied
        result, = self.send([event])
        self.assertEqual((result['status'], result['outcome']), ('duplicate', 'rejected'))

    def test_a_retry_names_who(self):
        row = self.assert_rejected(self.event('scrap', 3, data={'qty': 1, 'reason': 'LATER'}), 'reason_unknown')
        self.env['mes.reason'].create({'code': 'LATER', 'name': 'Later', 'kind': 'scrap'})
        row.sudo(self.supervisor).action_retry()
        self.assertEqual((row.state, row.retried_by, row.retry_count), ('applied', self.supervisor, 1))


class TestPostingsAreAppendOnly(CostingCase):

    def production_moves(self):
        return self.env['account.move'].search([('line_ids.mes_production_id', '=', self.mo.id)])

    def test_posted_production_entries_cannot_be_edited_deleted_or_cancelled(self):
        self.step([self.event('start', 0), self.event('produce', 5, data={'qty': 2}), self.event('stop', 30)])
        moves = self.production_moves()
        self.assertTrue(moves)
        self.assertEqual(set(moves.mapped('state')), {'posted'})
        move = moves[0]
        line = move.line_ids[0]
        amounts = [(item.id, item.debit, item.credit, item.account_id.id) for item in move.line_ids]
        with self.assertRaises(UserError):
            line.write({'debit': line.debit + 1.0, 'credit': line.credit})
        with self.assertRaises(UserError):
            line.write({'account_id': move.line_ids[-1].account_id.id})
        with self.assertRaises(UserError):
            move.unlink()
        with self.assertRaises(UserError):
            move.line_ids.unlink()
        with self.assertRaises(UserError):
            move.button_cancel()   # the production journal does not allow cancelling entries
        self.assertFalse(move.journal_id.update_posted)
        move.invalidate_cache()
        self.assertEqual([(item.id, item.debit, item.credit, item.account_id.id) for item in move.line_ids], amounts)

    def test_finance_cannot_open_the_production_journal_for_cancelling(self):
        finance = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Fin', 'login': 'audit_finance',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_finance').id])]})
        self.step([self.event('start', 0), self.event('stop', 30)])
        journal = self.production_moves()[0].journal_id
        with self.assertRaises(AccessError):
            journal.sudo(finance).write({'update_posted': True})

    def test_a_correction_is_a_new_entry_that_names_what_caused_it(self):
        self.step([self.event('start', 0), self.event('finish', 60)])
        before = self.production_moves()
        late = self.event('stop', 20)
        self.step([late], terminal=self.terminal2, received_minute=300)
        new = self.production_moves() - before
        self.assertTrue(new, 'the correction must be a new entry')
        text = ' '.join([m.ref or '' for m in new] + [m.narration or '' for m in new]
                        + [item.name or '' for item in new.mapped('line_ids')])
        self.assertTrue(late['id'] in text or (self.terminal2.name in text and 'Anna' in text), text)


def test_the_terminal_app_never_writes_html_from_data():
    """The tablet app builds its DOM with text nodes only (util.h); nothing the server sends
    is parsed as HTML or code."""
    folder = os.path.join(ROOT, 'static', 'terminal', 'js')
    pattern = re.compile(r'\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write'
                         r'|\beval\s*\(|new Function\s*\(')
    offenders = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding='utf-8') as handle:
            for number, line in enumerate(handle, 1):
                if pattern.search(line):
                    offenders.append('%s:%d: %s' % (name, number, line.strip()))
    assert not offenders, offenders


def test_the_spc_chart_escapes_the_unit():
    from ..services.spc_chart import Chart, chart_svg
    chart = Chart([1.0, 1.2, 0.9, 1.1], [None, 0.2, 0.3, 0.2], 1.05, 0.5, 1.6, 0.23, 0.0, 0.75, 0.2)
    svg = chart_svg(chart, 0.0, 2.0, '<script>alert(1)</script>mm')
    assert '<script>' not in svg
    assert '&lt;script&gt;alert(1)&lt;/script&gt;mm' in svg
