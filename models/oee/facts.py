"""What the terminal and the machines wrote about one work center, read into ``Facts`` for
``services/oee_measure.py`` and the timeline (not a model: functions over a work center record).

Facts are always read for whole local weeks (``collect_weeks``): the OEE records are computed a
week at a time, and a screen showing a day must judge the gaps at its edges as they did."""
import json
from datetime import timedelta

from ...services import oee_measure, oee_timeline, server_time
from ...services.oee_measure import Cycle, Facts, Unit

MICRO_STOP_PARAM = 'shopfloor_mes.micro_stop_minutes'
DEFAULT_MICRO_STOP = oee_timeline.DEFAULT_STOP_THRESHOLD


def week_window(workcenter, start, end):
    """The local weeks (Monday to Monday, naive UTC) containing ``start`` to ``end``."""
    first = workcenter._mes_local_date(start)
    last = workcenter._mes_local_date(end - timedelta(microseconds=1))
    monday = first - timedelta(days=first.weekday())
    after = last - timedelta(days=last.weekday()) + timedelta(days=7)
    return workcenter._mes_utc(monday), workcenter._mes_utc(after)


def collect_weeks(workcenter, start, end, now):
    """``collect`` over the whole local weeks containing ``start`` to ``end``."""
    return collect(workcenter, *week_window(workcenter, start, end), now=now)


def collect(workcenter, start, end, now):
    """``Facts`` of ``workcenter`` between ``start`` and ``end`` (naive UTC); intervals still
    open end at ``now``, nothing after ``now`` exists yet."""
    wc = workcenter.sudo()
    end = min(end, now)
    if end <= start:
        end = start
    logs = _intervals(wc, [], start, end)
    planned_stops, downtimes, slowdowns = _downtime(logs)
    runs = [(s, e) for s, e, r in logs if r.mes_machine_time]
    units, workorders = _units(wc, start, end)
    cycles, cycled = _cycles(wc, start, end)
    workorders |= cycled
    ideal = {wo.id: ideal_minutes_per_unit(wo) for wo in workorders}
    per_cycle = {wo.id: ideal[wo.id] * (wo.workcenter_id.capacity or 1.0) for wo in cycled}
    gaps = oee_timeline.classify_gaps(oee_measure.completions(units, cycles, ideal, per_cycle), runs,
                                      stop_threshold(wc), now)
    busy = [(s, e) for s, e, _r in logs] + [(u.at, u.at) for u in units] + [(c.at, c.at) for c in cycles]
    return Facts(calendar=[(s, e) for _label, s, e in wc._mes_calendar_intervals(start, end)],
                 scheduled=oee_timeline.scheduled_days(_local_days(wc, start, end), busy + _scheduled(wc, start, end)),
                 planned_stops=planned_stops, downtimes=downtimes, slowdowns=slowdowns, runs=runs,
                 units=units, cycles=cycles, ideal=ideal, per_cycle=per_cycle,
                 micro_stops=gaps.micro, unexplained_stops=gaps.stops)


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


def stop_threshold(workcenter):
    """Minutes without output beyond which a pause is an unexplained stop, not a micro-stop:
    the work center's own, else its company's, else the system parameter, else 5."""
    if workcenter.mes_micro_stop_minutes > 0:
        return workcenter.mes_micro_stop_minutes
    company = workcenter.company_id or workcenter.env.user.company_id
    if company.mes_stop_threshold_minutes > 0:
        return company.mes_stop_threshold_minutes
    value = workcenter.env['ir.config_parameter'].sudo().get_param(MICRO_STOP_PARAM, DEFAULT_MICRO_STOP)
    try:
        return float(value) if float(value) > 0 else DEFAULT_MICRO_STOP
    except ValueError:
        return DEFAULT_MICRO_STOP


micro_stop_threshold = stop_threshold     # the name earlier versions used


def _local_days(wc, start, end):
    day, last = wc._mes_local_date(start), wc._mes_local_date(end)
    days = []
    while day <= last:
        days.append((wc._mes_utc(day), wc._mes_utc(day + timedelta(days=1))))
        day += timedelta(days=1)
    return days


def _scheduled(wc, start, end):
    """Work orders scheduled on the work center in the window, as their planned intervals."""
    orders = wc.env['mrp.workorder'].search([
        ('workcenter_id', '=', wc.id), ('state', '!=', 'cancel'),
        ('date_planned_start', '<', server_time.text(end)), ('date_planned_finished', '>', server_time.text(start))])
    return [(server_time.parse(o.date_planned_start), server_time.parse(o.date_planned_finished)) for o in orders]


def _cycles(wc, start, end):
    """The machine's cycles at the work center in (start, end]: applied machine_cycle events
    (read as rows: a busy machine reports thousands a week)."""
    rows = wc.env['mes.event'].search_read([
        ('type', '=', 'machine_cycle'), ('state', '=', 'applied'), ('workcenter_id', '=', wc.id),
        ('workorder_id', '!=', False), ('corrected_at', '>', server_time.text(start)),
        ('corrected_at', '<=', server_time.text(end))],
        ['corrected_at', 'workorder_id', 'raw'])
    cycles = []
    for row in rows:
        count = (json.loads(row['raw']).get('data') or {}).get('count') or 0
        if count > 0:
            cycles.append(Cycle(server_time.parse(row['corrected_at']), row['workorder_id'][0], count))
    return cycles, wc.env['mrp.workorder'].browse(sorted({c.workorder_id for c in cycles}))


def _intervals(wc, domain, start, end):
    """(start, end, record) of the work center's time logs matching ``domain`` that overlap
    the window; open ones end at ``end``."""
    records = wc.env['mrp.workcenter.productivity'].search(
        domain + wc._mes_time_log_domain(start, end), order='date_start, id')
    result = []
    for record in records:
        s = max(server_time.parse(record.date_start), start)
        e = min(server_time.parse(record.date_end) if record.date_end else end, end)
        if e > s:
            result.append((s, e, record))
    return result


def _downtime(logs):
    planned, stops, slow = [], [], []
    for s, e, record in logs:
        reason = record.mes_reason_id
        if not reason:
            continue
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
    window = [('>', server_time.text(start)), ('<=', server_time.text(end))]
    units = []
    produced = env['mes.event'].search([('type', '=', 'produce'), ('state', '=', 'applied'),
                                        ('workcenter_id', '=', wc.id)] + _between('corrected_at', window))
    units += [Unit(server_time.parse(e.corrected_at), e.workorder_id.id, 'good', e.qty) for e in produced]
    scraps = env['stock.scrap'].search([('state', '=', 'done'), ('workorder_id.workcenter_id', '=', wc.id)]
                                       + _between('date_expected', window))
    units += [Unit(server_time.parse(s.date_expected), s.workorder_id.id, 'scrap', s.scrap_qty) for s in scraps
              if s.product_id == s.workorder_id.production_id.product_id]
    failed = env['mes.quality.check'].search([('result', '=', 'fail'), ('workorder_id.workcenter_id', '=', wc.id)]
                                             + _between('checked_at', window))
    units += [Unit(server_time.parse(c.checked_at), c.workorder_id.id, 'rejected', 1.0) for c in failed]
    workorders = produced.mapped('workorder_id') | scraps.mapped('workorder_id') | failed.mapped('workorder_id')
    return units, workorders


def _between(field, window):
    return [(field, op, value) for op, value in window]
