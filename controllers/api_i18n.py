"""The terminal API answers in the operator's language (issue 23).

Messages are stored in English (services/errors.py says why); they are translated here, when
an answer is written: an event's refusal in the language of the operator who reported it
(``hr.employee.lang``); what concerns no one operator (a failed login, the reason names) in
the language the tablet speaks now (its ``Accept-Language``: the logged-in operator's, else
the plant's), else the plant's (the company's). Translations come from ``ir.translation``
(the module's i18n/*.po).
"""
from odoo.http import request

from ..models.shared.i18n import gettext_for
from ..services import errors


def plant_lang(env, terminal):
    """The language of a terminal before an operator logs in: its company's."""
    company = terminal.workcenter_ids[:1].company_id or env.user.company_id
    lang = company.partner_id.lang
    return lang if lang in dict(env['res.lang'].get_installed()) else 'en_US'


def installed_lang(env, tag):
    """The installed language an HTTP language tag ('de', 'de-CH', 'it_IT') names, or None."""
    tag = (tag or '').split(',')[0].split(';')[0].strip().replace('-', '_')
    if not tag:
        return None
    codes = [code for code, _name in env['res.lang'].get_installed()]
    exact = [code for code in codes if code.lower() == tag.lower()]
    if exact:
        return exact[0]
    base = tag.split('_')[0].lower()
    if base + '_' + base.upper() in codes:      # 'de' -> de_DE, 'it' -> it_IT
        return base + '_' + base.upper()
    same_base = sorted(code for code in codes if code.split('_')[0].lower() == base)
    return same_base[0] if same_base else None


def tablet_lang(env):
    """The installed language the request's Accept-Language names (what the tablet speaks now)."""
    return installed_lang(env, request.httprequest.headers.get('Accept-Language') if request else None)


def request_lang(env, terminal):
    """The language of this request's answer when no one operator's is known."""
    return tablet_lang(env) or plant_lang(env, terminal)


def translate_results(env, terminal, raw_events, results):
    """The events' answers (``results``, in request order) with their messages in the
    language of each event's operator (its ``employee`` badge), else the request's."""
    if not any(result and (result.get('error') or result.get('waiting')) for result in results):
        return results      # nothing to say: no look-up on the hot path
    badges = {raw.get('employee') for raw in raw_events if isinstance(raw, dict)}
    badges = [badge for badge in badges if isinstance(badge, str) and badge]
    employees = env['hr.employee'].sudo().search([('barcode', 'in', badges)]) if badges else []
    langs = {employee.barcode: employee._mes_lang() for employee in employees}
    fallback_lang = request_lang(env, terminal)
    gettexts = {}
    for raw, result in zip(raw_events, results):
        lang = (langs.get(raw.get('employee')) if isinstance(raw, dict) else None) or fallback_lang
        if lang not in gettexts:
            gettexts[lang] = gettext_for(env, lang)
        gettext = gettexts[lang]
        for key in ('error', 'waiting'):
            item = (result or {}).get(key)
            if gettext and item and item.get('message'):
                item['message'] = errors.translate_message(item.get('code'), item['message'], gettext)
    return results
