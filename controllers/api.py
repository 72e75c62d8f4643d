"""Terminal contract v1 over plain JSON (not JSON-RPC), see DESIGN.md.

Routes are ``type='http'`` with ``csrf=False``: the credential is the terminal's bearer token,
never a browser cookie, so there is no cross-site request to forge. Each request runs in its
own cursor, retried on serialization conflicts, so concurrent terminals never see a 500.
"""
import json
import logging
import random
import time
from datetime import datetime

import psycopg2
from psycopg2 import errorcodes

import odoo
from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..services import contract, errors, json_body, ordering
from .api_i18n import gettext_for, plant_lang, request_lang, tablet_lang, translate_results

_logger = logging.getLogger(__name__)

RETRYABLE_PGCODES = {errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED,
                     errorcodes.UNIQUE_VIOLATION, errorcodes.LOCK_NOT_AVAILABLE}
MAX_ATTEMPTS = 8


def json_response(body, status=200):
    """An answer of the API. The API keeps no session (a bearer token names the terminal, and the
    tablet sends no cookie): the session Odoo opens for a request without a cookie is not saved.
    Odoo 11 would write a file for each such request (every event and poll of every tablet) and
    list them all each time it collects the old ones."""
    forget_session()
    return http.Response(json.dumps(body, ensure_ascii=False), status=status, headers=[
        ('Content-Type', 'application/json; charset=utf-8'), ('Cache-Control', 'no-store'),
        ('X-Content-Type-Options', 'nosniff')])


def forget_session():
    if request and request.session is not None:
        request.session.modified = False


def error_response(exc, gettext=None):
    """``gettext`` (api_i18n.gettext_for) translates the message; English without it."""
    return json_response({'error': exc.as_dict(gettext)}, exc.http_status)


def bearer_token():
    header = request.httprequest.headers.get('Authorization', '')
    scheme, _sep, token = header.partition(' ')
    return token.strip() if scheme.lower() == 'bearer' else ''


def in_transaction(work, serialized=True):
    """Run ``work(env)`` in a fresh transaction as the superuser, committing on success.
    Conflicts between concurrent terminals are retried; a database that cannot be reached
    answers 503 with a retryable code. ``work`` returns a Response. ``serialized=False`` runs
    it READ COMMITTED (the record stage: a lock waited for is then no conflict)."""
    db = request.db or odoo.tools.config.get('db_name')
    if not db:
        return error_response(errors.ServiceUnavailable(detail='no database selected'))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        env = None
        try:
            registry = odoo.registry(db)
            with registry._db.cursor(serialized=serialized) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                response = work(env)
                if response.status_code >= 400:
                    cr.rollback()
                    env.clear()
                return response
        except psycopg2.Error as exc:
            # The failed attempt's pending recomputations live in the thread's environments and
            # hold its cursor, closed now: left there, the retry's first write would run them
            # ("Unable to use a closed cursor") and the request would end in a 503.
            if env is not None:
                env.clear()
            if exc.pgcode in RETRYABLE_PGCODES and attempt < MAX_ATTEMPTS:
                time.sleep(random.uniform(0.01, 0.05) * attempt)
                continue
            _logger.warning('MES API: database error (%s), answered 503', exc.pgcode or exc)
            detail = 'conflicting updates' if exc.pgcode in RETRYABLE_PGCODES else 'database unavailable'
            return error_response(errors.ServiceUnavailable(detail=detail))
        except Exception:  # a bug answers JSON the terminal understands, never HTML
            if env is not None:
                env.clear()
            _logger.exception('MES API: unexpected error; nothing was committed')
            return json_response({'error': {'code': 'internal_error', 'message': 'The server failed '
                                            'and applied nothing; retry the same request later. '
                                            'The failure is logged for the administrator.'}}, 500)
    raise AssertionError('unreachable')


def posting_mode(env):
    """'queue' (default): postings run as background jobs (queue_job) within seconds; 'inline':
    right after the record, in a transaction of its own, before the answer (a server without
    queue_job's runner)."""
    return env['ir.config_parameter'].sudo().get_param('shopfloor_mes.posting', 'queue')


def post_recorded(execution_ids):
    """Bring Odoo's records up to what was just recorded, in a transaction of its own: the
    terminal's answer never depends on it, and a posting that fails says so on its work order."""
    def work(env):
        env['mes.execution'].browse(execution_ids)._post()
        return json_response({})
    response = in_transaction(work)
    if response.status_code != 200:
        _logger.warning('MES API: posting of executions %s deferred (%s)', execution_ids, response.status_code)


def authenticated(handler):
    """Resolve the bearer token to an active terminal before calling ``handler(env, terminal)``."""
    def work(env):
        terminal = env['mes.terminal']._find_by_token(bearer_token())
        if not terminal:     # no plant known: the tablet's language
            return error_response(errors.Unauthorized(), gettext_for(env, tablet_lang(env)))
        if request.httprequest.method == 'GET':
            # what the tablet reads (reason and unit names...) in the language it speaks now
            env = env(context=dict(env.context, lang=request_lang(env, terminal)))
            terminal = terminal.with_env(env)
        return handler(env, terminal)
    return work


def read_json_body(max_bytes=contract.MAX_BODY_BYTES):
    """The body, read no further than the limit: a chunked upload has no Content-Length, so
    the limit is enforced while reading, not after buffering it all."""
    length = request.httprequest.content_length
    if length is not None and length > max_bytes:
        raise errors.BodyTooLarge(size=length, limit=max_bytes)
    stream, parts, size = request.httprequest.stream, [], 0
    while size <= max_bytes:
        part = stream.read(min(64 * 1024, max_bytes + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > max_bytes:
        raise errors.BodyTooLarge(size='more than %d' % max_bytes, limit=max_bytes)
    return b''.join(parts)


def json_object(body, content_type, shape, gettext=None):
    """(the JSON object a request sends, None), or (None, the refusal): not JSON, not UTF-8
    JSON, or not an object (``shape`` says what to send; services/json_body.py judges it);
    ``gettext`` translates the refusal."""
    try:
        return json_body.json_object(body, content_type, shape), None
    except errors.MesError as exc:
        return None, error_response(exc, gettext)


class MesApi(http.Controller):

    @http.route('/mes/api/versions', type='http', auth='none', methods=['GET'], csrf=False)
    def versions(self, **_query):
        return json_response({'versions': list(contract.SUPPORTED_SCHEMAS), 'current': max(contract.SUPPORTED_SCHEMAS),
                              'paths': {'1': '/mes/api/v1/'}})

    @http.route('/mes/api/v1/events', type='http', auth='none', methods=['POST'], csrf=False)
    def events(self, **_form):
        received_at = datetime.utcnow()
        try:
            body = read_json_body()
        except errors.MesError as exc:
            return error_response(exc)
        content_type = request.httprequest.headers.get('Content-Type')

        recorded = []

        def work(env, terminal):
            try:
                batch = contract.parse_request(body, content_type)
            except errors.MesError as exc:   # the whole request refused: in the tablet's language
                return error_response(exc, gettext_for(env, request_lang(env, terminal)))
            # in the queue mode, the postings are queued in this transaction: recorded and queued, or neither
            queue = posting_mode(env) == 'queue'
            clock = terminal._mes_clock(batch.sent_at, received_at)
            results, executions = env['mes.event']._record_batch(terminal, batch.events, batch.sent_at, received_at,
                                                                 enqueue=queue, clock=clock)
            if not queue:
                recorded[:] = executions.ids
            results = translate_results(env, terminal, batch.events, results)   # in each operator's language
            return json_response({'server_time': contract.format_time(received_at),
                                  'clock_offset_ms': ordering.offset_ms(clock.offset), 'results': results})
        response = in_transaction(authenticated(work), serialized=False)
        if recorded:
            post_recorded(recorded)
        return response

    @http.route('/mes/api/v1/login', type='http', auth='none', methods=['POST'], csrf=False)
    def login(self, **_form):
        try:
            body = read_json_body(64 * 1024)
        except errors.MesError as exc:
            return error_response(exc)
        content_type = request.httprequest.headers.get('Content-Type')

        def work(env, terminal):
            payload, refused = json_object(body, content_type, '{"badge": ...} or {"employee_id": ..., "pin": ...}',
                                           gettext_for(env, request_lang(env, terminal)))
            if refused:
                return refused
            employee, failure = self._identify(env, terminal, payload)
            if failure:
                # A failed PIN must count even though the answer is an error: commit it.
                env.cr.commit()
                return error_response(failure, gettext_for(env, request_lang(env, terminal)))
            allowed = terminal.workcenter_ids.filtered(lambda wc: employee._mes_may_work_at(wc))
            return json_response({
                'employee': {'id': employee.id, 'name': employee.name, 'badge': employee.barcode,
                             'lang': employee._mes_lang()},   # the tablet switches to it
                'workcenters': [{'id': wc.id, 'name': wc.name} for wc in allowed],
                'server_time': contract.format_time(datetime.utcnow())})
        return in_transaction(authenticated(work))

    @staticmethod
    def _identify(env, terminal, payload):
        Employee = env['hr.employee']
        badge, pin, employee_id = payload.get('badge'), payload.get('pin'), payload.get('employee_id')
        if isinstance(badge, str) and badge.strip() and pin is None:
            employee = Employee._mes_find_by_badge(badge.strip()[:64])
            if not employee:
                return None, errors.LoginFailed()
            if employee._mes_is_locked():
                return None, errors.EmployeeLocked(until=employee.mes_locked_until)
            return employee, None
        if pin is None or (employee_id is None and not badge):
            return None, errors.MalformedBody(detail='send {"badge": "..."} or {"employee_id": N, "pin": "...."}')
        if isinstance(employee_id, int) and not isinstance(employee_id, bool):
            employee = Employee.browse(employee_id).exists()
        elif isinstance(badge, str):
            employee = Employee._mes_find_by_badge(badge.strip()[:64])
        else:
            employee = Employee.browse()
        if not employee or not employee.barcode:
            Employee._mes_spend_pin_time()
            return None, errors.LoginFailed()
        if employee._mes_is_locked():
            return None, errors.EmployeeLocked(until=employee.mes_locked_until)
        if not employee._mes_check_pin(pin if isinstance(pin, str) else None):
            if employee._mes_is_locked():
                return None, errors.EmployeeLocked(until=employee.mes_locked_until)
            return None, errors.LoginFailed()
        return employee, None

    @http.route('/mes/api/v1/terminal', type='http', auth='none', methods=['GET'], csrf=False)
    def terminal_info(self, **_query):
        def work(env, terminal):
            reasons = env['mes.reason'].search([('is_category', '=', False)])
            employees = terminal._mes_login_employees()   # qualified here, with a badge
            return json_response({
                'terminal': {'id': terminal.id, 'name': terminal.name, 'tz': terminal._mes_tz(),
                             'lang': plant_lang(env, terminal)},
                'workcenters': [{'id': wc.id, 'name': wc.name} for wc in terminal.workcenter_ids],
                'employees': [{'id': e.id, 'name': e.name} for e in employees],
                'reasons': [{'code': r.code, 'name': r.name, 'kind': r.kind,
                             'category': r.parent_id.name or None} for r in reasons],
                'server_time': contract.format_time(datetime.utcnow())})
        return in_transaction(authenticated(work))

    @http.route('/mes/api/v1/workcenters/<int:workcenter_id>/queue', type='http', auth='none',
                methods=['GET'], csrf=False)
    def queue(self, workcenter_id, **_query):
        def work(env, terminal):
            wc = terminal.workcenter_ids.filtered(lambda w: w.id == workcenter_id)
            if not wc:
                return error_response(errors.Forbidden(what='work center %s' % workcenter_id))
            orders = env['mrp.workorder'].search(
                [('workcenter_id', '=', wc.id), ('state', 'in', ('pending', 'ready', 'progress'))])
            rank = {'progress': 0, 'ready': 1, 'pending': 2}
            orders = orders.sorted(lambda w: (rank[w.state], w.date_planned_start or '9999', w.id))
            return json_response({'workcenter': {'id': wc.id, 'name': wc.name},
                                  'workorders': [_workorder_summary(w) for w in orders[:50]]})
        return in_transaction(authenticated(work))

    @http.route('/mes/api/v1/workorders/<int:workorder_id>', type='http', auth='none',
                methods=['GET'], csrf=False)
    def workorder(self, workorder_id, **_query):
        def work(env, terminal):
            wo = env['mrp.workorder'].browse(workorder_id).exists()
            if not wo:
                return error_response(errors.NotFound(what='Work order %s' % workorder_id))
            if wo.workcenter_id not in terminal.workcenter_ids:
                return error_response(errors.Forbidden(what='work center %s' % wo.workcenter_id.name))
            return json_response(_workorder_detail(env, wo))
        return in_transaction(authenticated(work))


def _recorded(wo):
    """The work order's recorded state (what the terminals reported, folded in true time): the
    screens show it at once, before Odoo's records have followed."""
    execution = wo.env['mes.execution'].search([('workorder_id', '=', wo.id)], limit=1)
    return json.loads(execution.state_json) if execution.state_json else None


def _open_downtime(wo):
    """The work center's open downtime as recorded, on any of its work orders."""
    executions = wo.env['mes.execution'].search([('workorder_id.workcenter_id', '=', wo.workcenter_id.id),
                                                 ('state_json', 'like', '"down": [[')])
    for execution in executions:
        for start, end, reason_code, _start_uid, _end_uid in json.loads(execution.state_json)['down']:
            if end is None:
                reason = wo.env['mes.reason'].search([('code', '=', reason_code), ('kind', '=', 'downtime')], limit=1)
                return {'reason': reason_code, 'name': reason.name or reason_code,
                        'since': contract.format_time(odoo.fields.Datetime.from_string(start[:19]))}
    return None


def _last_check(wo, point):
    check = wo.env['mes.quality.check'].search([('workorder_id', '=', wo.id), ('point_id', '=', point.id),
                                                ('state', '=', 'done')], order='checked_at desc, id desc', limit=1)
    if not check:
        return None
    return {'result': check.result, 'value': check.value if check.has_value else None,
            'at': contract.format_time(odoo.fields.Datetime.from_string(check.checked_at))}


def _workorder_summary(wo, recorded=None):
    production = wo.production_id
    recorded = recorded or {}
    return {
        'id': wo.id, 'name': wo.name, 'state': wo.state, 'production': production.name,
        'product': production.product_id.display_name, 'qty_planned': wo.qty_production,
        'qty_produced': recorded.get('good', wo.qty_produced), 'uom': production.product_uom_id.name,
        'due': wo.date_planned_start and contract.format_time(odoo.fields.Datetime.from_string(wo.date_planned_start)),
        'standard_minutes': wo.duration_expected,
        'downtime': _open_downtime(wo),
    }


def _running_operators(env, wo, recorded):
    if not recorded:
        return [{'id': log.employee_id.id, 'name': log.employee_id.name,
                 'since': contract.format_time(odoo.fields.Datetime.from_string(log.date_start))}
                for log in wo.mes_labor_log_ids if not log.date_stop]
    running = [(badge, start) for badge, start, end, *_rest in recorded['labor'] if end is None]
    employees = {e.barcode: e for e in env['hr.employee'].search([('barcode', 'in', [b for b, _s in running])])}
    return [{'id': employees[badge].id, 'name': employees[badge].name,
             'since': contract.format_time(odoo.fields.Datetime.from_string(start[:19]))}
            for badge, start in running if badge in employees]


def _workorder_detail(env, wo):
    recorded = _recorded(wo) or {}
    detail = _workorder_summary(wo, recorded)
    points = env['mes.quality.point'].search([]).filtered(lambda p: p._applies_to(wo))
    detail.update({
        'instructions': wo.operation_id.note or '',
        'tracking': wo.production_id.product_id.tracking,
        'scrap_qty': sum(qty for _reason, _product, qty in recorded['scrap']) if recorded else wo.mes_scrap_qty,
        'labor_minutes': wo.mes_labor_minutes,
        'machine_minutes': wo.mes_machine_minutes,
        'operators': _running_operators(env, wo, recorded),
        'components': [{'product_id': m.product_id.id, 'name': m.product_id.display_name,
                        'qty_planned': m.product_uom_qty, 'uom': m.product_uom.name}
                       for m in wo.production_id.move_raw_ids if m.state != 'cancel'],
        'checks': [{'point_id': p.id, 'name': p.name, 'kind': p.kind, 'nominal': p.nominal,
                    'min': p.tolerance_min, 'max': p.tolerance_max, 'unit': p.unit or '',
                    'instructions': p.instructions or '', 'blocking': p.blocking,
                    'frequency': p.frequency, 'last': _last_check(wo, p)} for p in points],
        'checks_due': wo._mes_quality_checks_due(),
        'quality_hold': wo.mes_quality_hold or None,
        # what the machine itself reports (MQTT bridge): cycles, its good and scrap, unexplained stops
        'machine': recorded.get('machine'),
    })
    return detail
