"""The work order screen on a tablet held upright (800x1280), in a real Chromium against a real
Odoo server: nothing wider than the screen, the band and every action on screen without
scrolling, no two actions overlapping."""
from .test_terminal_guards import on_workorder

BOXES = """return Array.from(document.querySelectorAll('#state-band, #wo-status, #actions [data-action]'), (b) => {
  const r = b.getBoundingClientRect();
  return [b.id || b.dataset.action, r.left, r.top, r.right, r.bottom];
});"""


def test_the_work_order_fits_an_upright_tablet(browser, floor):
    t = browser
    t.driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                             {'width': 800, 'height': 1280, 'deviceScaleFactor': 1, 'mobile': False})
    on_workorder(t, floor)
    t.action('start')
    t.find('[data-action="stop"]')
    width = t.driver.execute_script('return document.documentElement.clientWidth')
    assert t.driver.execute_script('return document.documentElement.scrollWidth') <= width
    boxes = t.driver.execute_script(BOXES)
    assert len(boxes) == 9, boxes
    for name, left, top, right, bottom in boxes:
        assert left >= 0 and right <= width and bottom <= 1280, (name, left, top, right, bottom)
    actions = [b for b in boxes if b[0] not in ('state-band', 'wo-status')]
    for i, a in enumerate(actions):
        for b in actions[i + 1:]:
            overlap = min(a[3], b[3]) - max(a[1], b[1]) > 0 and min(a[4], b[4]) - max(a[2], b[2]) > 0
            assert not overlap, (a, b)
    t.screenshot('workorder-portrait')
