"""Terminal tokens and operator PINs: hashed, revocable, brute force locked out."""
from datetime import datetime, timedelta

from odoo.exceptions import AccessError

from .common import ShopFloorCase


class TestTerminalToken(ShopFloorCase):

    def test_token_is_shown_once_and_stored_hashed(self):
        token = self.terminal.issue_token()
        self.assertGreaterEqual(len(token), 40)
        stored = self.terminal.sudo().token_hash
        self.assertNotIn(token, stored)
        self.assertEqual(self.env['mes.terminal']._find_by_token(token), self.terminal)

    def test_new_token_revokes_the_previous_one(self):
        old = self.terminal.issue_token()
        new = self.terminal.issue_token()
        self.assertFalse(self.env['mes.terminal']._find_by_token(old))
        self.assertEqual(self.env['mes.terminal']._find_by_token(new), self.terminal)

    def test_revoke_and_archive_refuse_at_once(self):
        token = self.terminal.issue_token()
        self.terminal.action_revoke_token()
        self.assertFalse(self.env['mes.terminal']._find_by_token(token))
        token = self.terminal.issue_token()
        self.terminal.active = False
        self.assertFalse(self.env['mes.terminal']._find_by_token(token))

    def test_only_supervisors_issue_tokens(self):
        operator = self.env['res.users'].create({
            'name': 'Op', 'login': 'op_token',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        with self.assertRaises(AccessError):
            self.terminal.sudo(operator).issue_token()

    def test_unknown_or_empty_tokens_find_nothing(self):
        for token in ('', 'x' * 500, 'not-a-token'):
            self.assertFalse(self.env['mes.terminal']._find_by_token(token))


class TestPin(ShopFloorCase):

    def test_pin_is_stored_hashed_and_checked(self):
        stored = self.anna.sudo().mes_pin_hash
        self.assertTrue(stored.startswith('$pbkdf2-sha256$'))
        self.assertNotIn('1234', stored)
        self.assertTrue(self.anna.mes_pin_set)
        self.assertFalse(self.anna.mes_pin)          # never read back
        self.assertTrue(self.anna._mes_check_pin('1234'))
        self.assertFalse(self.anna._mes_check_pin('9999'))

    def test_five_wrong_pins_lock_for_fifteen_minutes(self):
        now = datetime(2026, 11, 24, 7, 0)
        for attempt in range(4):
            self.assertFalse(self.anna._mes_check_pin('0000', now=now))
            self.assertFalse(self.anna._mes_is_locked(now=now))
        self.assertFalse(self.anna._mes_check_pin('0000', now=now))
        self.assertTrue(self.anna._mes_is_locked(now=now))
        self.assertTrue(self.anna._mes_is_locked(now=now + timedelta(minutes=14)))
        self.assertFalse(self.anna._mes_is_locked(now=now + timedelta(minutes=15, seconds=1)))
        # the supervisor can unlock earlier
        self.anna.action_mes_unlock()
        self.assertFalse(self.anna._mes_is_locked(now=now))

    def test_a_right_pin_resets_the_count(self):
        for attempt in range(4):
            self.anna._mes_check_pin('0000')
        self.assertTrue(self.anna._mes_check_pin('1234'))
        self.assertEqual(self.anna.mes_pin_failures, 0)
        self.assertFalse(self.anna._mes_check_pin('0000'))
        self.assertFalse(self.anna._mes_is_locked())

    def test_employee_without_pin_never_matches(self):
        self.assertFalse(self.carl._mes_check_pin(''))
        self.assertFalse(self.carl._mes_check_pin(None))


class TestPinTiming(ShopFloorCase):
    """An unknown employee must cost what a wrong PIN costs: both verify one PBKDF2 hash (the
    audit measured 21 ms against 41 ms, enough to list who exists)."""

    def test_unknown_employee_and_wrong_pin_each_verify_one_hash(self):
        from ..controllers.api import MesApi
        from ..models.terminal import hr_employee
        calls = []
        original = hr_employee.PIN_CRYPT.verify

        def counting(secret, hashed):
            calls.append(hashed)
            return original(secret, hashed)
        hr_employee.PIN_CRYPT.verify = counting
        try:
            for payload in ({'employee_id': 987654321, 'pin': '0000'}, {'employee_id': self.anna.id, 'pin': '0000'},
                            {'badge': 'NOBODY', 'pin': '0000'}):
                del calls[:]
                employee, failure = MesApi._identify(self.env, self.terminal, payload)
                self.assertFalse(employee)
                self.assertEqual(failure.code, 'login_failed')
                self.assertEqual(len(calls), 1, payload)
        finally:
            hr_employee.PIN_CRYPT.verify = original


class TestTerminalLoginList(ShopFloorCase):

    def test_login_list_names_the_operators_qualified_here(self):
        dora = self.env['hr.employee'].create({'name': 'Dora', 'barcode': 'B-DORA',
                                               'mes_workcenter_ids': [(6, 0, [self.saw.id])]})
        self.assertEqual(self.terminal._mes_login_employees(), dora)
        paint = self.env['mes.terminal'].create({'name': 'Paint tablet', 'workcenter_ids': [(6, 0, [self.paint.id])]})
        self.assertEqual(paint._mes_login_employees(), self.carl)

    def test_without_qualifications_everyone_with_a_badge_is_listed(self):
        employees = self.terminal._mes_login_employees()
        self.assertIn(self.anna, employees)
        self.assertIn(self.ben, employees)
        self.assertNotIn(self.carl, employees)            # qualified for paint only
        self.assertTrue(all(e.barcode for e in employees))

    def test_time_zone_is_the_terminals_else_the_companys(self):
        self.env.user.company_id.partner_id.tz = 'Europe/Berlin'
        self.assertEqual(self.terminal._mes_tz(), 'Europe/Berlin')
        self.terminal.tz = 'Asia/Kolkata'
        self.assertEqual(self.terminal._mes_tz(), 'Asia/Kolkata')
