"""The board as a wall screen and an SPC chart, in a real Chromium (issue 20, items 5 and 6).

The board's "Wall screen" hides Odoo's menus and search bar and enlarges the cards; "Leave
wall screen" brings them back. A measurement point's control chart draws both panels (values and
moving ranges) with limit labels that do not overlap, and the capability histogram; its alert
is listed in the plant's time, in a column that sorts.
Screenshots go to docs/screenshots/ (board-wall.png, spc-chart.png)."""
import os
import random
from datetime import datetime, timedelta

from .conftest import SCREENSHOTS
from . import test_role_menus
from .test_role_menus import Backend, iso, send

# test_role_menus' fixture, found by pytest under this name in this module too
chromium = test_role_menus.chromium


def test_the_board_as_a_wall_screen(live_server, floor, chromium):
    from selenium.webdriver.common.by import By
    now = datetime.utcnow()
    send(live_server, floor, [{'type': 'start', 'at': iso(now - timedelta(minutes=30))},
                              {'type': 'produce', 'at': iso(now - timedelta(minutes=10)), 'data': {'qty': 3}}])
    live_server.wait_posted()
    backend = Backend(chromium, live_server, 'admin', 'admin')
    backend.sign_in()
    board = live_server.rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mrp_workcenter_action_mes_board')
    chromium.set_window_size(1400, 900)         # a wall screen is a big screen
    backend.open('Work center board', 'action=%d' % board)
    chromium.find_element(By.CSS_SELECTOR, '.o_mes_kiosk_enter').click()
    backend.wait(lambda: chromium.execute_script("return document.body.classList.contains('o_mes_kiosk')"),
                 'not a wall screen')

    def shown(css):
        return [e for e in chromium.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
    assert not shown('.o_main_navbar') and not shown('.o_control_panel') and not shown('.o_sub_menu'), \
        'menus still shown'
    cards = shown('.o_mes_board_card')
    assert cards and float(cards[0].value_of_css_property('font-size').rstrip('px')) >= 16
    assert not backend.problems, backend.problems
    os.makedirs(SCREENSHOTS, exist_ok=True)
    chromium.save_screenshot(os.path.join(SCREENSHOTS, 'board-wall.png'))
    chromium.find_element(By.CSS_SELECTOR, '.o_mes_kiosk_leave').click()
    backend.wait(lambda: shown('.o_control_panel'), 'the search bar did not come back')
    # the wall screen's own menu entry starts in it
    kiosk = live_server.rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mrp_workcenter_action_mes_board_kiosk')
    backend.open('Work center board (wall screen)', 'action=%d' % kiosk)
    backend.wait(lambda: chromium.execute_script("return document.body.classList.contains('o_mes_kiosk')"),
                 'the wall-screen action did not start as a wall screen')


def test_an_spc_chart_with_both_panels_and_a_histogram(live_server, floor, chromium):
    from selenium.webdriver.common.by import By
    rpc = live_server.rpc
    operation = rpc('mrp.routing.workcenter', 'search', [('workcenter_id', '=', floor.workcenter_id)])[0]
    point = rpc('mes.quality.point', 'create', {
        'name': 'Tube length %s' % floor.tag, 'operation_id': operation, 'kind': 'measure', 'frequency': 'first',
        'nominal': 450.0, 'tolerance_min': 449.0, 'tolerance_max': 451.0, 'unit': 'mm', 'spc_min_points': 20})
    rng = random.Random(20)
    values = [round(450.0 + rng.gauss(0, 0.18), 2) for _ in range(24)] + [450.75]
    start = datetime.utcnow() - timedelta(hours=2)
    events = [{'type': 'start', 'at': iso(start)}] + [
        {'type': 'check', 'at': iso(start + timedelta(minutes=2 * (i + 1))),
         'data': {'point_id': point, 'result': 'pass', 'value': v}} for i, v in enumerate(values)]
    send(live_server, floor, events)
    live_server.wait_posted()
    backend = Backend(chromium, live_server, 'admin', 'admin')
    backend.sign_in()
    action = rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mes_quality_point_action')
    backend.open('Control point', 'action=%d&id=%d&view_type=form' % (action, point))
    tab = [a for a in chromium.find_elements(By.CSS_SELECTOR, '.o_notebook a') if 'Control chart' in a.text][0]
    tab.click()
    backend.wait(lambda: chromium.find_elements(By.CSS_SELECTOR, '.o_mes_spc_chart svg'), 'no control chart')
    svg = chromium.find_element(By.CSS_SELECTOR, '.o_mes_spc_chart svg')
    assert 'Individuals' in svg.text and 'Moving range' in svg.text, svg.text
    labels = svg.find_elements(By.CSS_SELECTOR, 'text.o_mes_spc_label')
    boxes = [(label.rect['y'], label.rect['y'] + label.rect['height']) for label in labels]
    for i, (top, bottom) in enumerate(boxes):
        for other_top, other_bottom in boxes[i + 1:]:
            assert bottom <= other_top + 0.5 or other_bottom <= top + 0.5, 'limit labels overlap: %s' % boxes
    assert chromium.find_elements(By.CSS_SELECTOR, '.o_mes_spc_histogram svg rect')
    assert not backend.problems, backend.problems
    chromium.execute_script('arguments[0].scrollIntoView()', svg)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    chromium.save_screenshot(os.path.join(SCREENSHOTS, 'spc-chart.png'))
    # its alert, in the plant's time as on the chart, whatever the browser's; the column sorts
    alerts = rpc('mes.quality.alert', 'search_read', [('point_id', '=', point)], ['measured_at_plant'])
    assert alerts and alerts[0]['measured_at_plant'], 'the last value raises an alert'
    action = rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.mes_quality_alert_action')
    backend.open('Quality alerts', 'action=%d&view_type=list' % action)
    headers = [th for th in chromium.find_elements(By.CSS_SELECTOR, '.o_list_view thead th')
               if 'Measured (plant time)' in th.text]
    assert headers and 'o_column_sortable' in headers[0].get_attribute('class'), 'no sortable plant-time column'
    assert alerts[0]['measured_at_plant'] in chromium.find_element(By.CSS_SELECTOR, '.o_list_view tbody').text
    headers[0].click()
    backend.settle('Quality alerts, sorted by measured time')
    assert not backend.problems, backend.problems
