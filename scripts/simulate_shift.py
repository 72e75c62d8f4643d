"""Drive one scripted early shift (06:00-14:00 local) on the demo factory, as its tablets
would, then recompute OEE and print it per work center.

    .local/venv/bin/python scripts/simulate_shift.py -c .local/odoo.conf -d mes_demo [--date 2026-11-24]

Every event goes through ``mes.event._ingest``, the code behind ``POST /mes/api/v1/events``,
with the station's terminal, so the records are the ones real tablets would leave. The shift is
fixed (``SCRIPTS``): the same date gives the same events, and their ids are derived from the
date and the station, so running the script twice for one date sends duplicates, which the
inbox answers as such: nothing is counted twice. Without ``--date``: the last working day
before today.

The tests import ``simulate`` and ``SCRIPTS`` and run them against their own fixtures.
"""
import argparse
import sys
import uuid
from collections import namedtuple
from datetime import date, datetime, timedelta

SHIFT = (6.0, 14.0)     # the demo calendar's early shift, local hours

# What each station does: (minute from the shift start, event type, data, operator), the
# operator being an index into the station's badges. Quantities suit the demo orders.
SCRIPTS = {
    'saw': [
        (0, 'start', {}, 0),
        (30, 'produce', {'qty': 5}, 0),
        (40, 'downtime_start', {'reason': 'BRK-MECH'}, 0),
        (65, 'downtime_end', {}, 0),
        (95, 'produce', {'qty': 4}, 0),
        (100, 'scrap', {'qty': 1, 'reason': 'DIM'}, 0),
        (110, 'start', {}, 1),                       # a second operator joins: machine counted once
        (120, 'downtime_start', {'reason': 'BREAK'}, 0),
        (135, 'downtime_end', {}, 0),
        (160, 'produce', {'qty': 1}, 0),
        (165, 'stop', {}, 1),
        (170, 'stop', {}, 0),
    ],
    'cnc': [
        (0, 'start', {}, 0),
        (50, 'produce', {'qty': 3}, 0),
        (60, 'downtime_start', {'reason': 'NO-MAT'}, 0),
        (90, 'downtime_end', {}, 0),
        (150, 'produce', {'qty': 2}, 0),
        (180, 'downtime_start', {'reason': 'BREAK'}, 0),
        (195, 'downtime_end', {}, 0),
        (200, 'downtime_start', {'reason': 'SLOW'}, 0),
        (240, 'downtime_end', {}, 0),
        (270, 'produce', {'qty': 3}, 0),
        (280, 'stop', {}, 0),
    ],
    'assembly': [
        (10, 'start', {}, 0),
        (20, 'start', {}, 1),
        (60, 'produce', {'qty': 2}, 0),
        (90, 'downtime_start', {'reason': 'SETUP'}, 0),
        (105, 'downtime_end', {}, 0),
        (120, 'downtime_start', {'reason': 'BREAK'}, 1),
        (135, 'downtime_end', {}, 1),
        (150, 'produce', {'qty': 2}, 1),
        (170, 'stop', {}, 0),
        (175, 'stop', {}, 1),
    ],
    'paint': [
        (240, 'start', {}, 0),
        (300, 'produce', {'qty': 5}, 0),
        (330, 'downtime_start', {'reason': 'BRK-ELEC'}, 0),
        (360, 'downtime_end', {}, 0),
        (420, 'produce', {'qty': 4}, 0),
        (425, 'scrap', {'qty': 1, 'reason': 'PAINT'}, 0),
        (460, 'stop', {}, 0),
    ],
}

# The demo factory's stations: work center, its tablet, the badges of its operators.
DEMO_STATIONS = {
    'saw': ('demo_workcenter_saw', 'demo_terminal_saw', ['MES-0001', 'MES-0006']),
    'cnc': ('demo_workcenter_cnc', 'demo_terminal_cnc', ['MES-0002']),
    'assembly': ('demo_workcenter_assembly', 'demo_terminal_assembly', ['MES-0003', 'MES-0004']),
    'paint': ('demo_workcenter_paint', 'demo_terminal_paint', ['MES-0005']),
}

Station = namedtuple('Station', 'key workorder terminal badges')


def events_for(station, shift_start):
    """The station's script as terminal events (contract v1) of the shift starting at
    ``shift_start`` (naive UTC)."""
    events = []
    for index, (minute, etype, data, operator) in enumerate(SCRIPTS[station.key]):
        at = shift_start + timedelta(minutes=minute)
        events.append({
            'schema': 1, 'seq': index + 1, 'type': etype, 'workorder_id': station.workorder.id,
            'employee': station.badges[operator], 'at': at.strftime('%Y-%m-%dT%H:%M:%S.000Z'), 'data': data,
            'id': str(uuid.uuid5(uuid.NAMESPACE_URL, 'shopfloor_mes/simulate_shift/%s/%s/%d' % (
                shift_start.isoformat(), station.key, index))),
        })
    return events


def simulate(env, stations, shift_start, received_at=None):
    """Send every station's events as one batch from its terminal, received at the end of
    the shift (or ``received_at``); returns {station key: ingest results}."""
    received_at = received_at or shift_start + timedelta(hours=SHIFT[1] - SHIFT[0], minutes=5)
    results = {}
    for station in stations:
        results[station.key] = env['mes.event']._ingest(
            station.terminal, events_for(station, shift_start), received_at, received_at)
    return results


def demo_stations(env):
    """Each demo station on its first work order ready to run (else the first still waiting
    for an earlier operation), upstream stations first so their output reaches the next."""
    stations = []
    for key in ('saw', 'cnc', 'assembly', 'paint'):
        wc_xmlid, terminal_xmlid, badges = DEMO_STATIONS[key]
        workcenter = env.ref('shopfloor_mes.' + wc_xmlid)
        Workorder = env['mrp.workorder']
        workorder = Workorder.search([('workcenter_id', '=', workcenter.id), ('state', 'in', ('ready', 'progress'))],
                                     order='production_id, id', limit=1) \
            or Workorder.search([('workcenter_id', '=', workcenter.id), ('state', '=', 'pending')],
                                order='production_id, id', limit=1)
        if not workorder:
            raise SystemExit('No open work order at %s: the demo orders are used up.' % workcenter.name)
        stations.append(Station(key, workorder, env.ref('shopfloor_mes.' + terminal_xmlid), badges))
    return stations


def shift_start_of(workcenter, day):
    return workcenter._mes_utc(day, SHIFT[0])


def last_working_day(today):
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def run(env, day, now=None):
    """Simulate the shift of ``day`` on the demo factory and refresh its OEE; returns the
    shift's OEE records, one per work center."""
    stations = demo_stations(env)
    start = shift_start_of(stations[0].workorder.workcenter_id, day)
    results = simulate(env, stations, start)
    rejected = [(key, r) for key, rs in results.items() for r in rs if r['status'] == 'rejected']
    if rejected:
        raise SystemExit('Events rejected: %s' % rejected)
    workcenters = env['mrp.workcenter'].browse([s.workorder.workcenter_id.id for s in stations])
    records = env['mes.oee.record'].refresh(workcenters, day, day, now=now or datetime.utcnow())
    stamp = start.strftime('%Y-%m-%d %H:%M:%S')
    return records.filtered(lambda r: r.period_kind == 'shift' and r.period_start == stamp)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('-c', '--config', required=True, help='Odoo configuration file')
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--date', help='YYYY-MM-DD (default: the last working day before today)')
    args = parser.parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(['-c', args.config, '-d', args.database])
    day = datetime.strptime(args.date, '%Y-%m-%d').date() if args.date else last_working_day(date.today())
    with odoo.api.Environment.manage(), odoo.registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        records = run(env, day)
        cr.commit()
        print('OEE of the early shift on %s:' % day)
        print('%-12s %8s %8s %8s %8s %6s %6s' % ('work center', 'A %', 'P %', 'Q %', 'OEE %', 'good', 'total'))
        for r in records.sorted(lambda r: r.workcenter_id.name):
            print('%-12s %8.1f %8.1f %8.1f %8.1f %6g %6g' % (
                r.workcenter_id.name, r.availability, r.performance, r.quality, r.oee, r.good_qty, r.total_qty))
    return 0


if __name__ == '__main__':
    sys.exit(main())
