"""6. Cost: the cost sheet of one order with 50 work orders and 10,000 labor logs, and the live
WIP report over 1,000 open orders.

The volume is built fast but from real rows: one real cycle (start, produce, stop, each in its own
request-sized transaction through ``mes.event._ingest``) makes a labor log, a run-time record,
the stock moves and the journal entries the current code posts for one cycle; SQL then copies
those rows 10,000 times over the order's 50 work orders (labor logs, run-time records, done
stock moves, journal entries with their items), and copies the order 1,000 times, each copy
with 10 cycles' worth of journal entries, for the WIP report. The measured operations are the
real code paths, in-process, each in a fresh transaction (empty record cache), rolled back:

- 6a: ``mrp.production._mes_refresh_cost_lines()`` (what every costed fact ends with);
- 6b: reading the cost sheet as the order form's cost page does (cost lines, good quantity,
  WIP now);
- 6c: ``mes.wip.report.search_read`` of every open order's WIP (the list, all rows).
Also timed, without a target: the cost sheet report rendered as HTML, the list view's first page
of the WIP report, and ``_mes_post_conversion()`` on the big order (the absorption every start
and stop on that order runs).

Targets: cost sheet under 1 s; WIP report under 2 s."""
import os
import statistics
import sys
import time
from datetime import datetime, timedelta

from psycopg2 import sql

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

WORKORDERS = 50
LABOR_LOGS = B.scaled(10000, 200, 'cost')
WIP_ORDERS = B.scaled(1000, 20, 'cost')
WIP_CYCLES = 10
RUNS = 5


def real_cycle(db, floor):
    """start, produce, stop on the last work order (it consumes the components and makes the
    finished goods), each in its own transaction; returns the ids of the rows they made."""
    odoo = B.odoo_module()
    wo = floor['workorder_ids'][-1]
    badge = floor['badges'][0]
    t0 = datetime.utcnow() - timedelta(hours=2)
    made = {}
    with B.odoo_env(db, commit=False) as env:
        cr = env.cr
        marks = {}
        for table in ('account_move', 'account_move_line', 'stock_move', 'mes_labor_log',
                      'mrp_workcenter_productivity'):
            cr.execute(sql.SQL('SELECT COALESCE(MAX(id), 0) FROM {}').format(sql.Identifier(table)))
            marks[table] = cr.fetchone()[0]
    for seq, (etype, minutes, data) in enumerate((('start', 0, {}), ('produce', 5, {'qty': 1}), ('stop', 8, {}))):
        with B.odoo_env(db) as env:
            terminal = env['mes.terminal']._find_by_token(floor['tokens'][0])
            now = datetime.utcnow()
            result, = env['mes.event']._ingest(terminal, [B.event(etype, wo, badge, t0 + timedelta(minutes=minutes),
                                                                 seq + 1, data)], now, now)
            if result['status'] != 'applied':
                raise RuntimeError('the real cycle was not applied: %s' % result)
    with B.odoo_env(db, commit=False) as env:
        cr = env.cr
        for table, mark in marks.items():
            cr.execute('SELECT id FROM %s WHERE id > %%s ORDER BY id' % table, (mark,))
            made[table] = [row[0] for row in cr.fetchall()]
        # a done move keeps its id (Odoo splits the rest off into a new open move)
        cr.execute("SELECT id FROM stock_move WHERE state = 'done'"
                   " AND %s IN (raw_material_production_id, production_id)", (floor['production_ids'][0],))
        made['stock_move'] = [row[0] for row in cr.fetchall()]
        cr.execute('SELECT id FROM mrp_workcenter_productivity WHERE id = ANY(%s) AND mes_machine_time',
                   (made['mrp_workcenter_productivity'],))
        made['mrp_workcenter_productivity'] = [row[0] for row in cr.fetchall()]
    del odoo
    return made


def clone_entries(cr, move_ids, count, productions, workorders, workcenters, per_production):
    """``count`` copies of each journal entry in ``move_ids`` with their items; copy g belongs
    to order productions[g // per_production] and work order workorders[g % len(workorders)]."""
    params = {'mos': productions, 'wos': workorders, 'wcs': workcenters, 'per': per_production,
              'nwo': len(workorders)}
    total = 0
    for move_id in move_ids:
        new_moves = B.clone_rows(cr, 'account_move', move_id, count, {
            'name': "t.name || '/B' || g", 'ref': "t.ref || ' (bench copy)'"}, params)
        params['moves'] = new_moves
        cr.execute('SELECT id FROM account_move_line WHERE move_id = %s', (move_id,))
        for (line_id,) in cr.fetchall():
            total += len(B.clone_rows(cr, 'account_move_line', line_id, count, {
                'move_id': '(%(moves)s::int[])[g + 1]',
                'mes_production_id': 'CASE WHEN t.mes_production_id IS NULL THEN NULL '
                                     'ELSE (%(mos)s::int[])[g / %(per)s + 1] END',
                'mes_workorder_id': 'CASE WHEN t.mes_workorder_id IS NULL THEN NULL '
                                    'ELSE (%(wos)s::int[])[g %% %(nwo)s + 1] END',
                'mes_workcenter_id': 'CASE WHEN t.mes_workcenter_id IS NULL THEN NULL '
                                     'ELSE (%(wcs)s::int[])[g %% %(nwo)s + 1] END',
            }, params))
    return total


def build_volume(db, floor, made):
    started = time.time()
    with B.odoo_env(db) as env:
        cr = env.cr
        mo = floor['production_ids'][0]
        wos = floor['workorder_ids']
        cr.execute('SELECT workcenter_id FROM mrp_workorder WHERE id = ANY(%s) ORDER BY id', (wos,))
        wcs = [row[0] for row in cr.fetchall()]
        params = {'wos': wos, 'wcs': wcs, 'emps': floor['employee_ids'], 'nwo': len(wos),
                  'nemp': len(floor['employee_ids'])}
        # 10,000 closed labor intervals over the 50 work orders, 8 minutes each, back in time
        interval = "t.date_start - (g + 1) * interval '10 minutes'"
        B.clone_rows(cr, 'mes_labor_log', made['mes_labor_log'][0], LABOR_LOGS, {
            'workorder_id': '(%(wos)s::int[])[g %% %(nwo)s + 1]', 'workcenter_id': '(%(wcs)s::int[])[g %% %(nwo)s + 1]',
            'employee_id': '(%(emps)s::int[])[g %% %(nemp)s + 1]', 'date_start': interval,
            'date_stop': interval + " + interval '8 minutes'", 'duration': '8.0', 'start_event_id': 'NULL',
            'stop_event_id': 'NULL'}, params)
        for record in made['mrp_workcenter_productivity']:
            B.clone_rows(cr, 'mrp_workcenter_productivity', record, LABOR_LOGS, {
                'workorder_id': '(%(wos)s::int[])[g %% %(nwo)s + 1]',
                'workcenter_id': '(%(wcs)s::int[])[g %% %(nwo)s + 1]', 'date_start': interval,
                'date_end': interval + " + interval '8 minutes'", 'duration': '8.0'}, params)
        # the stock moves and journal entries of 10,000 cycles on the big order
        for move in made['stock_move']:
            B.clone_rows(cr, 'stock_move', move, LABOR_LOGS, {
                'workorder_id':
                    'CASE WHEN t.workorder_id IS NULL THEN NULL ELSE (%(wos)s::int[])[g %% %(nwo)s + 1] END'},
                params)
        lines = clone_entries(cr, made['account_move'], LABOR_LOGS, [mo], wos, wcs, LABOR_LOGS)
        # 1,000 open orders, each with 10 cycles' worth of journal entries
        orders = B.clone_rows(cr, 'mrp_production', mo, WIP_ORDERS, {
            'name': "'WIP/' || lpad(g::text, 5, '0')", 'state': "'progress'"})
        wip_lines = clone_entries(cr, made['account_move'], WIP_ORDERS * WIP_CYCLES, orders, wos, wcs, WIP_CYCLES)
        cr.execute('ANALYZE')
        cr.execute('SELECT COUNT(*) FROM account_move_line')
        all_lines = cr.fetchone()[0]
    B.say('  built in %.0f s: %d labor logs and %d run-time records on %d work orders, %d stock moves and %d '
          'journal items on the order; %d open orders with %d journal items; %d journal items in all'
          % (time.time() - started, LABOR_LOGS, LABOR_LOGS * len(made['mrp_workcenter_productivity']), len(wos),
             LABOR_LOGS * len(made['stock_move']), lines, WIP_ORDERS, wip_lines, all_lines))
    return orders


def timed(db, work, runs=RUNS, commit_first=False, budget=120.0):
    """Seconds of ``work(env)`` in a fresh transaction and environment each run, after one
    unmeasured run (committed with ``commit_first``: the report's compiled assets are kept as
    in production); measured runs are rolled back. Slow operations get fewer runs: no new run
    starts once ``budget`` seconds are spent."""
    odoo = B.odoo_module()
    registry = odoo.registry(db)
    times, value, spent = [], None, 0.0
    for run in range(runs + 1):
        with odoo.api.Environment.manage(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            started = time.time()
            value = work(env)
            elapsed = time.time() - started
            if run == 0 and commit_first:
                cr.commit()
            else:
                cr.rollback()
        spent += elapsed
        if run:
            times.append(elapsed)
            if spent > budget:
                break
    return times, value


def main():
    B.say('## 6. Cost: cost sheet of one order (%d work orders, %d labor logs); live WIP report (%d open orders)'
          % (WORKORDERS, LABOR_LOGS, WIP_ORDERS))
    db = B.copy_db(B.bench_db('cost'))
    with B.odoo_env(db) as env:
        floor = B.build_floor(env, orders=1, operations=WORKORDERS, workcenters=5, employees=20, terminals=1,
                              qty=1e6, tag='C')
    made = real_cycle(db, floor)
    B.say('  one real cycle made: %s' % ', '.join('%d %s' % (len(v), k) for k, v in sorted(made.items())))
    build_volume(db, floor, made)
    mo = floor['production_ids'][0]

    def refresh(env):
        env['mrp.production'].browse(mo)._mes_refresh_cost_lines()

    def read_sheet(env):
        production = env['mrp.production'].browse(mo)
        values = production.read(['mes_good_qty', 'mes_wip_balance', 'mes_cost_line_ids', 'mes_variance_line_ids'])[0]
        return env['mes.cost.line'].browse(values['mes_cost_line_ids']).read(
            ['element', 'standard', 'actual', 'variance', 'currency_id'])

    def report_html(env):
        return env.ref('shopfloor_mes.action_report_cost_sheet').render_qweb_html([mo])

    def post_conversion(env):
        env['mrp.production'].browse(mo)._mes_post_conversion()

    fields = ['production_id', 'product_id', 'state', 'company_id', 'material', 'conversion', 'relieved', 'wip']

    def wip_all(env):
        return env['mes.wip.report'].search_read([], fields)

    def wip_page(env):
        model = env['mes.wip.report']
        return model.search_read([], fields, limit=80), model.search_count([])

    results = {}
    for name, work, runs in (('refresh', refresh, RUNS), ('read', read_sheet, RUNS), ('report', report_html, 3),
                             ('conversion', post_conversion, 3), ('wip', wip_all, RUNS), ('wip_page', wip_page, RUNS)):
        times, value = timed(db, work, runs, commit_first=(name in ('refresh', 'report')))
        results[name] = times
        if name == 'read':
            B.say('  cost sheet: %s' % ', '.join('%s %.2f/%.2f' % (line['element'], line['standard'], line['actual'])
                                                 for line in value))
        if name == 'wip':
            B.say('  WIP report rows: %d, WIP in all %.2f' % (len(value), sum(r['wip'] for r in value)))
    B.say('  seconds, min / median / max of the runs (one unmeasured run first; at most %d runs, fewer when '
          'one takes long):' % RUNS)
    labels = {'refresh': '_mes_refresh_cost_lines() on the order',
              'read': 'reading the cost sheet (form\'s cost page)',
              'report': 'cost sheet report as HTML (3 runs)',
              'conversion': '_mes_post_conversion() on the order (3 runs; no target)',
              'wip': 'mes.wip.report search_read, all open orders',
              'wip_page': 'mes.wip.report list view page (80 rows + count; no target)'}
    for name, times in results.items():
        B.say('    %-62s %s  (%d runs)' % (labels[name], B.spread(times, '%.3f'), len(times)))
    B.release_registry(db)
    refresh_s, read_s, wip_s = (statistics.median(results[k]) for k in ('refresh', 'read', 'wip'))
    B.figure('6a', 'cost sheet refresh, 1 order, %d work orders, %d labor logs (median of %d)'
             % (WORKORDERS, LABOR_LOGS, len(results['refresh'])), '%.3f s' % refresh_s, '< 1 s', refresh_s < 1.0)
    B.figure('6b', 'reading the cost sheet of that order (median of %d)' % len(results['read']), '%.3f s' % read_s,
             '< 1 s', read_s < 1.0)
    B.figure('6c', 'live WIP report, %d open orders, search_read (median of %d)' % (WIP_ORDERS, len(results['wip'])),
             '%.3f s' % wip_s, '< 2 s', wip_s < 2.0)


if __name__ == '__main__':
    main()
