"""What the terminal wrote about one work center in a window, read into ``Facts`` for
``mes_oee_measure`` (not a model: functions over a work center record)."""
from odoo import fields

from .mes_oee_measure import Facts, Unit, micro_stop_intervals

MICRO_STOP_PARAM = 'shopfloor_mes.micro_stop_minutes'
DEFAULT_MICRO_STOP = 5.0


def collect(workcenter, start, end, now):
    """``Facts`` of ``workcenter`` between ``start`` and ``end`` (naive UTC); intervals still
    open end at ``now``, nothing after ``now`` exists yet."""
    wc = workcenter.sudo()
    end = min(end, now)
    planned_stops, downtimes, slowdowns = _downtime(wc, start, end)
    runs = [(s, e) for s, e, _r in _intervals(wc, [('mes_machine_time', '=', True)], start, end)]
    units, workorders = _units(wc, start, end)
    ideal = {wo.id: ideal_minutes_per_unit(wo) for wo in workorders}
    micro = micro_stop_intervals(units, ideal, micro_stop_threshold(wc), runs)
    return Facts(calendar=[(s, e) for _label, s, e in wc._mes_calendar_intervals(start, end)],
                 planned_stops=planned_stops, downtimes=downtimes, slowdowns=slowdowns, runs=runs,
                 units=units, ideal=ideal, micro_stops=micro)


def ideal_minutes_per_unit(workorder):
    """The operation's cycle time (time_cycle_manual, minutes per cycle of ``capacity``
    units at the work center) per unit; without an operation, Odoo's expected duration of
    the work order per unit. Time efficiency is not applied: the ideal is the machine's
    best rate, not the planning rate."""
    capacity = workorder.workcenter_id.capacity or 1.0
    if workorder.operation_id and workorder.operation_id.time_cycle_manual > 0:
        return workorder.operation_id.time_cycle_manual / capacity
    if workorder.qty_production:
        return (workorder.duration_expected or 0.0) / workorder.qty_production
    return 0.0


def micro_stop_threshold(workcenter):
    if workcenter.mes_micro_stop_minutes > 0:
        return workcenter.mes_micro_stop_minutes
    value = workcenter.env['ir.config_parameter'].sudo().get_param(MICRO_STOP_PARAM, DEFAULT_MICRO_STOP)
    try:
        return max(float(value), 0.0)
    except ValueError:
        return DEFAULT_MICRO_STOP


def _intervals(wc, domain, start, end):
    """(start, end, record) of the work center's time logs matching ``domain`` that overlap
    the window; open ones end at ``end``."""
    records = wc.env['mrp.workcenter.productivity'].search(
        domain + wc._mes_time_log_domain(start, end), order='date_start, id')
    result = []
    for record in records:
        s = max(_dt(record.date_start), start)
        e = min(_dt(record.date_end) if record.date_end else end, end)
        if e > s:
            result.append((s, e, record))
    return result


def _downtime(wc, start, end):
    planned, stops, slow = [], [], []
    for s, e, record in _intervals(wc, [('mes_reason_id', '!=', False)], start, end):
        reason = record.mes_reason_id
        if reason.is_planned:
            planned.append((s, e, reason.id))
        elif reason.loss_type == 'performance':
            slow.append((s, e, reason.id))
        else:
            stops.append((s, e, reason.id))
    return planned, stops, slow


def _units(wc, start, end):
    """Completed units at the work center in (start, end]: applied produce events (good),
    the finished product scrapped on its work orders, failed checks (one rejected unit each)."""
    env = wc.env
    window = [('>', _str(start)), ('<=', _str(end))]
    units = []
    produced = env['mes.event'].search([('type', '=', 'produce'), ('state', '=', 'applied'),
                                        ('workcenter_id', '=', wc.id)] + _between('corrected_at', window))
    units += [Unit(_dt(e.corrected_at), e.workorder_id.id, 'good', e.qty) for e in produced]
    scraps = env['stock.scrap'].search([('state', '=', 'done'), ('workorder_id.workcenter_id', '=', wc.id)]
                                       + _between('date_expected', window))
    units += [Unit(_dt(s.date_expected), s.workorder_id.id, 'scrap', s.scrap_qty) for s in scraps
              if s.product_id == s.workorder_id.production_id.product_id]
    failed = env['mes.quality.check'].search([('result', '=', 'fail'), ('workorder_id.workcenter_id', '=', wc.id)]
                                             + _between('checked_at', window))
    units += [Unit(_dt(c.checked_at), c.workorder_id.id, 'rejected', 1.0) for c in failed]
    workorders = produced.mapped('workorder_id') | scraps.mapped('workorder_id') | failed.mapped('workorder_id')
    return units, workorders


def _between(field, window):
    return [(field, op, value) for op, value in window]


def _dt(value):
    return fields.Datetime.from_string(value)


def _str(value):
    return fields.Datetime.to_string(value)
