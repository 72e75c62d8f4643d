"""The planner's OEE in a real Chromium: after terminal events and one run of the live OEE job
(as the server's cron runs it every minute), Odoo's Manufacturing dashboard shows the MES's
OEE for the work center, the OEE window's title says when it was computed, and its graph is a
line per work center with a dashed target line. Screenshots go to docs/screenshots/."""
import os
from datetime import datetime, timedelta

from .conftest import SCREENSHOTS
from . import test_role_menus
from .test_role_menus import Backend, iso, send

# test_role_menus' fixture, found by pytest under this name in this module too
chromium = test_role_menus.chromium


def around_the_clock(live_server, floor):
    rpc = live_server.rpc
    calendar = rpc('resource.calendar', 'create', {'name': 'Around the clock %s' % floor.tag, 'attendance_ids': [
        (0, 0, {'name': 'Day %d' % day, 'dayofweek': str(day), 'hour_from': 0.0, 'hour_to': 24.0})
        for day in range(7)]})
    rpc('mrp.workcenter', 'write', [floor.workcenter_id], {'resource_calendar_id': calendar, 'mes_tz': 'UTC',
                                                            'oee_target': 85.0})


def run_live_job(live_server):
    cron = live_server.rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.ir_cron_mes_oee_live')
    live_server.rpc('ir.cron', 'method_direct_trigger', [cron])


def test_dashboard_and_oee_graph_show_the_live_mes_oee(live_server, floor, chromium):
    from selenium.webdriver.common.by import By
    around_the_clock(live_server, floor)
    now = datetime.utcnow()
    yesterday, today = now - timedelta(days=1), now - timedelta(minutes=50)
    for start in (yesterday, today):   # two days: the line graph needs two points
        send(live_server, floor, [
            {'type': 'start', 'at': iso(start)},
            {'type': 'produce', 'at': iso(start + timedelta(minutes=20)), 'data': {'qty': 6}},
            {'type': 'stop', 'at': iso(start + timedelta(minutes=40))}])
    live_server.wait_posted()
    run_live_job(live_server)
    rpc = live_server.rpc
    wc = rpc('mrp.workcenter', 'read', [floor.workcenter_id], ['name', 'oee', 'mes_oee_computed_at'])[0]
    group, = rpc('mes.oee.record', 'read_group', [('workcenter_id', '=', floor.workcenter_id),
                                                  ('period_kind', '=', 'day')], ['oee', 'workcenter_id'],
                 ['workcenter_id'])
    assert wc['oee'] > 0 and abs(wc['oee'] - round(group['oee'], 2)) < 0.01, (wc, group)
    assert wc['mes_oee_computed_at']

    backend = Backend(chromium, live_server, 'admin', 'admin')
    backend.sign_in()
    # Odoo's Manufacturing dashboard: the card's OEE is the MES's
    action = rpc('ir.model.data', 'xmlid_to_res_id', 'mrp.mrp_workcenter_kanban_action')
    backend.open('Manufacturing dashboard', 'action=%d' % action)
    cards = [c for c in chromium.find_elements(By.CSS_SELECTOR, '.o_kanban_record') if wc['name'] in c.text]
    assert cards, 'no card for %s' % wc['name']
    card = cards[0]
    shown = [line for line in card.text.splitlines() if line.strip().endswith('%')]
    assert shown, card.text
    assert abs(float(shown[0].strip().rstrip('%').replace(',', '')) - wc['oee']) < 0.01, (shown, wc['oee'])
    assert 'computed' in card.text
    chromium.execute_script('arguments[0].scrollIntoView()', card)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    chromium.save_screenshot(os.path.join(SCREENSHOTS, 'oee-dashboard.png'))

    # Shop Floor > Performance > OEE, as graph: a line per work center and the target
    menu = rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.menu_mes_oee')
    server_action = rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mes_oee_record_action_open')
    backend.open('OEE', 'menu_id=%d&action=%d' % (menu, server_action))
    title = chromium.find_element(By.CSS_SELECTOR, '.o_control_panel .breadcrumb').text
    assert 'computed at' in title, title
    chromium.find_element(By.CSS_SELECTOR, '.o_cp_switch_graph').click()
    backend.wait(lambda: chromium.execute_script("return !!document.querySelector('.o_graph_svg_container svg')"),
                 'the OEE graph did not draw')
    backend.wait(lambda: chromium.execute_script("return !!document.querySelector('.o_mes_target_line')"),
                 'no target line on the OEE graph')
    label = chromium.find_element(By.CSS_SELECTOR, '.o_mes_target_label').text
    assert 'Target' in label, label
    assert not chromium.find_elements(By.CSS_SELECTOR, '.o_graph_svg_container .nv-multiBarWithLegend'), 'stacked bars'
    assert chromium.find_elements(By.CSS_SELECTOR, '.o_graph_svg_container .nv-lineChart')
    backend.check('OEE graph')
    assert not backend.problems, backend.problems
    chromium.save_screenshot(os.path.join(SCREENSHOTS, 'oee-graph.png'))

    # the board: an operator back on the machine, then down: orders, down since, today's window
    send(live_server, floor, [{'type': 'start', 'at': iso(now - timedelta(minutes=5))},
                              {'type': 'downtime_start', 'at': iso(now - timedelta(minutes=2)),
                               'data': {'reason': 'BRK-MECH'}}])
    live_server.wait_posted()
    board = rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mrp_workcenter_action_mes_board')
    backend.open('Work center board', 'action=%d' % board)
    cards = [c for c in chromium.find_elements(By.CSS_SELECTOR, '.o_mes_board_card') if wc['name'] in c.text]
    assert cards, 'no board card for %s' % wc['name']
    text = cards[0].text
    assert 'Down for' in text and 'since' in text and 'today: since' in text, text
    assert cards[0].find_elements(By.CSS_SELECTOR, '.o_mes_running_orders .badge, .o_mes_running_orders .o_tag'), text
    label = cards[0].find_element(By.CSS_SELECTOR, '.label-danger')
    assert label.value_of_css_property('background-color') not in ('rgba(0, 0, 0, 0)', 'transparent'), 'unstyled'
    assert not backend.problems, backend.problems
    chromium.execute_script('arguments[0].scrollIntoView()', cards[0])
    chromium.save_screenshot(os.path.join(SCREENSHOTS, 'board.png'))
