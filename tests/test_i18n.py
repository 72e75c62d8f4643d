"""The operator's language (issue 23): the employee's language, the API's refusals in it, and
the back office in German, from i18n/de.po loaded the way Odoo installs a language."""
import re

from odoo.addons.shopfloor_mes.controllers.api_i18n import installed_lang, translate_results
from odoo.addons.shopfloor_mes.models.shared.i18n import gettext_for
from odoo.addons.shopfloor_mes.services import errors

from .common import ShopFloorCase

PLACEHOLDER = re.compile(r'%\((\w+)\)s')


def install_languages(env, *codes):
    """What Settings > Translations > Load a Translation does for this addon's terms
    (base.language.install runs it for every installed addon): activate the language and load
    i18n/<lang>.po."""
    env['ir.module.module'].search([('name', '=', 'shopfloor_mes')])._update_translations(list(codes))


class TestOperatorLanguage(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        install_languages(cls.env, 'de_DE', 'it_IT')
        cls.anna.lang = 'de_DE'
        cls.ben.lang = 'en_US'

    def test_an_employee_s_language_defaults_to_the_company_s(self):
        company = self.env.user.company_id
        company.partner_id.lang = 'it_IT'
        employee = self.env['hr.employee'].create({'name': 'Giulia', 'barcode': 'B-GIULIA'})
        self.assertEqual(employee.lang, 'it_IT')
        # empty, or a language no longer installed: the company's
        employee.lang = False
        self.assertEqual(employee._mes_lang(), 'it_IT')
        self.assertIn(('de_DE', self.env.ref('base.lang_de').name),
                      self.env['hr.employee']._fields['lang']._description_selection(self.env))

    def test_a_german_operator_gets_refusals_in_german_and_an_english_one_in_english(self):
        events = [self.event('scrap', 5, data={'qty': 2, 'reason': 'NOPE'}),
                  self.event('scrap', 6, badge='B-BEN', data={'qty': 1, 'reason': 'NOPE'})]
        results = self.send(events)
        self.assertEqual([r['error']['code'] for r in results], ['reason_unknown', 'reason_unknown'])
        english = results[1]['error']['message']
        translate_results(self.env, self.terminal, events, results)
        self.assertEqual(results[0]['error']['message'],
                         'Kein aktiver Grund der Art „Ausschuss“ hat den Code „NOPE“. Wählen Sie einen Grund '
                         'aus der Liste oder bitten Sie einen Meister, ihn anzulegen.')
        self.assertEqual(results[1]['error']['message'], english)
        self.assertIn('No active scrap reason has code "NOPE"', english)
        # the dead-letter queue keeps the English record
        row = self.env['mes.event'].search([('event_uid', '=', events[0]['id'])])
        self.assertTrue(row.error_message.startswith('No active scrap reason'))
        # a German supervisor reads it in German in the dead-letter queue
        self.assertEqual(row.with_context(lang='de_DE').error_message_shown, results[0]['error']['message'])
        self.assertEqual(row.with_context(lang='en_US').error_message_shown, english)

    def test_a_refusal_after_the_finish_names_the_event_type_in_german(self):
        self.send_ok([self.event('start', 0), self.event('finish', 30)])
        late = self.event('produce', 40, data={'qty': 1})
        results = self.send([late])
        translate_results(self.env, self.terminal, [late], results)
        message = results[0]['error']['message']
        self.assertTrue(message.startswith('Arbeitsauftrag %s' % self.wo_cut.name), message)
        self.assertIn('eine Meldung „Gutmeldung“', message)
        self.assertNotIn('produce', message)

    def test_every_message_of_the_error_catalogue_is_translated(self):
        for lang in ('de_DE', 'it_IT'):
            gettext = gettext_for(self.env, lang)
            for code, error in errors.CATALOGUE.items():
                translated = gettext(error.template)
                self.assertNotEqual(translated, error.template, '%s has no %s translation' % (code, lang))
                self.assertEqual(sorted(PLACEHOLDER.findall(translated)),
                                 sorted(PLACEHOLDER.findall(error.template)), (code, lang))

    def test_an_http_language_tag_names_an_installed_language(self):
        self.assertEqual(installed_lang(self.env, 'de'), 'de_DE')
        self.assertEqual(installed_lang(self.env, 'it-IT,it;q=0.9'), 'it_IT')
        self.assertEqual(installed_lang(self.env, 'en'), 'en_US')
        self.assertIsNone(installed_lang(self.env, 'fr'))
        self.assertIsNone(installed_lang(self.env, ''))

    def test_the_back_office_reads_german(self):
        german = self.env(context=dict(self.env.context, lang='de_DE'))
        self.assertEqual(german.ref('shopfloor_mes.menu_mes_root').name, 'Werkstatt')
        fields = german['mes.event'].fields_get(['error_message', 'state'])
        self.assertEqual(fields['error_message']['string'], 'Fehlermeldung')
        # the employee form's Shop floor page, with the new language field
        arch = german['hr.employee'].fields_view_get(view_type='form')['arch']
        self.assertIn('Werkstatt', arch)
        self.assertIn('Terminalsprache', german['hr.employee'].fields_get(['lang'])['lang']['string'])
        # a data record's translated name (the reasons the tablet lists)
        self.assertEqual(self.down_reason.with_context(lang='de_DE').name, 'Mechanischer Ausfall')
        self.assertEqual(self.down_reason.with_context(lang='it_IT').name, 'Guasto meccanico')

    def test_a_report_prints_in_german(self):
        report = self.env.ref('shopfloor_mes.action_report_cost_sheet')
        html = report.with_context(lang='de_DE').render_qweb_html(self.mo.ids)[0].decode()
        self.assertIn('Kostenblatt', html)
        self.assertIn('<th class="text-right">Abweichung</th>', html)
        self.assertNotIn('Cost sheet', html)

    def test_an_event_s_name_says_its_type_in_the_reader_s_language(self):
        sent = self.event('produce', 5, data={'qty': 3})
        self.send([self.event('start', 0), sent])
        row = self.env['mes.event'].search([('event_uid', '=', sent['id'])])
        self.assertTrue(row.with_context(lang='de_DE').display_name.startswith('Gutmeldung 3 · '))
        self.assertTrue(row.with_context(lang='en_US').display_name.startswith('produce 3 · '))
