"""Terminal contract v1: what the tablet asks besides events, login and its read-only views
(those are in api.py).

- ``POST /mes/api/v1/terminal/supervisor``: is this badge (or badge/employee and PIN) a
  supervisor's? The tablet opens its set-up only then. A wrong PIN counts as at login.
- ``GET /mes/api/v1/employees/<id>/running``: the work orders at this terminal's work centers
  on which the employee's time runs now, as recorded (the logout question).
- ``GET /mes/api/v1/workorders/<id>/live``: the work order's detail (as ``/workorders/<id>``)
  with its state as recorded (finished or in progress as soon as a terminal said so, before
  Odoo's records follow) and its work center: what the tablet polls every few seconds, the
  truth for what several tablets share (downtime, checks done and due, state, who is on it),
  with each person's closed labor minutes (labor_by_employee) and only this step's components.
"""
import json
from datetime import datetime

import odoo
from odoo import http
from odoo.http import request

from ..services import contract, errors
from ..services.execution_machine import stops_to_classify
from .api import (MesApi, _recorded, _workorder_detail, authenticated, error_response, in_transaction, json_object,
                  json_response, read_json_body)
from .api_i18n import gettext_for, request_lang

NotSupervisor = errors._error(
    'not_supervisor', errors._('%(employee)s is not an MES supervisor: the terminal set-up needs a supervisor\'s '
                               'badge or PIN.'), 403)


def is_supervisor(employee):
    user = employee.user_id
    group = employee.env.ref('shopfloor_mes.group_mes_supervisor')
    return bool(user) and user.active and group in user.groups_id


def running_orders(env, terminal, employee):
    """[(work order, since)] on which the employee's recorded time runs, at this terminal."""
    if not employee.barcode:
        return []
    executions = env['mes.execution'].search([
        ('workorder_id.workcenter_id', 'in', terminal.workcenter_ids.ids), ('finished_at', '=', False),
        ('state_json', 'like', json.dumps(employee.barcode))])
    found = []
    for execution in executions:
        state = json.loads(execution.state_json or 'null') or {}
        for badge, start, end, *_rest in state.get('labor') or []:
            if badge == employee.barcode and end is None:
                found.append((execution.workorder_id, start))
    return found


def recorded_state(wo, recorded):
    """The order's state as the terminals reported it: Odoo's ``state`` follows at posting."""
    if wo.state in ('done', 'cancel') or not recorded:
        return wo.state
    if recorded.get('finished_at'):
        return 'done'
    if recorded.get('labor') or recorded.get('good'):
        return 'progress'
    return wo.state


def _component_moves(wo):
    """The moves of detail['components'], in the same order (controllers/api.py)."""
    return [m for m in wo.production_id.move_raw_ids if m.state != 'cancel']


def labor_by_employee(env, recorded):
    """[{id, name, minutes}]: each person's closed minutes of the recorded labor (own timers)."""
    minutes = {}
    for badge, start, end, *_rest in (recorded or {}).get('labor') or []:
        if end is not None:
            span = (odoo.fields.Datetime.from_string(end[:19].replace('T', ' '))
                    - odoo.fields.Datetime.from_string(start[:19].replace('T', ' ')))
            minutes[badge] = minutes.get(badge, 0.0) + span.total_seconds() / 60.0
    employees = env['hr.employee'].search([('barcode', 'in', list(minutes))]) if minutes else []
    return [{'id': e.id, 'name': e.name, 'minutes': round(minutes[e.barcode], 3)} for e in employees]


class MesTerminalApi(http.Controller):

    @http.route('/mes/api/v1/workorders/<int:workorder_id>/live', type='http', auth='none',
                methods=['GET'], csrf=False)
    def live(self, workorder_id, **_query):
        def work(env, terminal):
            wo = env['mrp.workorder'].browse(workorder_id).exists()
            if not wo:
                return error_response(errors.NotFound(what='Work order %s' % workorder_id))
            if wo.workcenter_id not in terminal.workcenter_ids:
                return error_response(errors.Forbidden(what='work center %s' % wo.workcenter_id.name))
            detail = _workorder_detail(env, wo)
            detail.update(state=recorded_state(wo, _recorded(wo)), workcenter_id=wo.workcenter_id.id,
                          server_time=contract.format_time(datetime.utcnow()),
                          # the machine's unexplained stops the operator is asked to classify
                          machine_stops=stops_to_classify(detail.get('machine'), datetime.utcnow(),
                                                          wo.production_id.company_id._mes_machine_stop_threshold()))
            # each person's own timer; this step's own components (Odoo gives each move its work order)
            detail.update(labor_by_employee=labor_by_employee(env, _recorded(wo)),
                          components=[c for c, move in zip(detail['components'], _component_moves(wo))
                                      if move.workorder_id == wo])
            return json_response(detail)
        return in_transaction(authenticated(work))

    @http.route('/mes/api/v1/terminal/supervisor', type='http', auth='none', methods=['POST'], csrf=False)
    def supervisor(self, **_form):
        try:
            body = read_json_body(64 * 1024)
        except errors.MesError as exc:
            return error_response(exc)
        content_type = request.httprequest.headers.get('Content-Type')

        def work(env, terminal):
            payload, refused = json_object(body, content_type, '{"badge": ...} or {"badge": ..., "pin": ...}',
                                           gettext_for(env, request_lang(env, terminal)))
            if refused:
                return refused
            employee, failure = MesApi._identify(env, terminal, payload)
            if failure:
                env.cr.commit()     # a wrong PIN counts even though the answer is an error
                return error_response(failure, gettext_for(env, request_lang(env, terminal)))
            if not is_supervisor(employee):
                refusal = NotSupervisor(employee=employee.name)
                return error_response(refusal, gettext_for(env, request_lang(env, terminal)))
            return json_response({'supervisor': {'id': employee.id, 'name': employee.name},
                                  'server_time': contract.format_time(datetime.utcnow())})
        return in_transaction(authenticated(work))

    @http.route('/mes/api/v1/employees/<int:employee_id>/running', type='http', auth='none',
                methods=['GET'], csrf=False)
    def running(self, employee_id, **_query):
        def work(env, terminal):
            employee = env['hr.employee'].browse(employee_id).exists()
            if not employee:
                return error_response(errors.NotFound(what='Employee %s' % employee_id))
            return json_response({'running': [
                {'workorder_id': wo.id, 'name': wo.name, 'workcenter_id': wo.workcenter_id.id,
                 'since': contract.format_time(odoo.fields.Datetime.from_string(since[:19]))}
                for wo, since in running_orders(env, terminal, employee)]})
        return in_transaction(authenticated(work))
