from html import escape as html_escape
"""Statistical process control of measurement points, on top of services/spc.py.

The chart of a point is built from its done checks with a value, in the order they were
checked (checked_at, then id): an individuals / moving-range chart (I-MR) when the subgroup
size is 1, an X-bar / R chart of consecutive subgroups otherwise (an incomplete last subgroup
waits). The point's form shows the chart of its latest ``spc_window`` chart points.

A new value is judged against the limits of the chart points *before* it (its history, at
least ``spc_min_points`` of them): a Western Electric rule it completes opens a quality alert.
"""
from collections import namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import spc
from .mes_access import caller

Chart = namedtuple('Chart', 'points ranges center lcl ucl r_center r_lcl r_ucl sigma')


class MesQualityPointSpc(models.Model):
    _inherit = 'mes.quality.point'

    subgroup_size = fields.Integer(
        default=1, help='1: individuals and moving-range chart. 2 to 10: X-bar and R chart of '
                        'consecutive measurements in groups of this size.')
    spc_window = fields.Integer('Chart points shown', default=50,
                                help='The latest values (or subgroups) the form and the report chart.')
    spc_min_points = fields.Integer(
        'History before alerts', default=20,
        help='Values (or subgroups) needed before the limits judge a new one and raise alerts.')
    spc_chart = fields.Selection([('imr', 'Individuals / moving range'), ('xbar_r', 'X-bar / R')],
                                 'Chart', compute='_compute_spc_chart')
    spc_points = fields.Integer('Chart points', compute='_compute_spc')
    spc_center = fields.Float('Centre line', compute='_compute_spc', digits=(16, 4))
    spc_lcl = fields.Float('LCL', compute='_compute_spc', digits=(16, 4))
    spc_ucl = fields.Float('UCL', compute='_compute_spc', digits=(16, 4))
    spc_range_center = fields.Float('Mean range', compute='_compute_spc', digits=(16, 4))
    spc_range_lcl = fields.Float('Range LCL', compute='_compute_spc', digits=(16, 4))
    spc_range_ucl = fields.Float('Range UCL', compute='_compute_spc', digits=(16, 4))
    spc_sigma = fields.Float('Sigma (within)', compute='_compute_spc', digits=(16, 4))
    spc_cp = fields.Float('Cp', compute='_compute_spc', digits=(16, 3))
    spc_cpk = fields.Float('Cpk', compute='_compute_spc', digits=(16, 3))
    spc_message = fields.Char('Chart status', compute='_compute_spc')
    spc_chart_svg = fields.Html('Control chart', compute='_compute_spc', sanitize=False)
    alert_ids = fields.One2many('mes.quality.alert', 'point_id', 'Alerts')
    alert_open_count = fields.Integer('Open alerts', compute='_compute_alert_open_count')

    @api.constrains('subgroup_size')
    def _check_subgroup_size(self):
        for point in self:
            if point.subgroup_size != 1 and point.subgroup_size not in spc.CONSTANTS:
                raise ValidationError(_('%s: the subgroup size is 1 (individuals) or 2 to 10.') % point.name)

    @api.depends('subgroup_size')
    def _compute_spc_chart(self):
        for point in self:
            point.spc_chart = 'imr' if point.subgroup_size <= 1 else 'xbar_r'

    def _compute_alert_open_count(self):
        for point in self:
            point.alert_open_count = len(point.alert_ids.filtered(lambda a: a.state != 'closed'))

    def _compute_spc(self):
        for point in self:
            point.update(point._spc_figures())

    def _spc_figures(self):
        """The chart of the latest ``spc_window`` points, as field values."""
        figures = {'spc_points': 0, 'spc_center': 0.0, 'spc_lcl': 0.0, 'spc_ucl': 0.0,
                   'spc_range_center': 0.0, 'spc_range_lcl': 0.0, 'spc_range_ucl': 0.0,
                   'spc_sigma': 0.0, 'spc_cp': 0.0, 'spc_cpk': 0.0, 'spc_chart_svg': False}
        if self.kind != 'measure':
            return dict(figures, spc_message='Control charts are for measurement points.')
        groups = subgroups([c.value for c in self._spc_checks()], self._spc_n())
        groups = groups[-max(self.spc_window, 2):]
        try:
            chart = control_chart(groups)
        except ValueError:
            return dict(figures, spc_points=len(groups),
                        spc_message='Not enough measurements yet for a chart (%d).' % len(groups))
        figures.update(
            spc_points=len(groups), spc_center=chart.center, spc_lcl=chart.lcl, spc_ucl=chart.ucl,
            spc_range_center=chart.r_center, spc_range_lcl=chart.r_lcl, spc_range_ucl=chart.r_ucl,
            spc_sigma=chart.sigma, spc_message='In control' if not self._out_of_control(chart) else
            'Points beyond the control limits',
            spc_chart_svg=chart_svg(chart, self.tolerance_min, self.tolerance_max, self.unit))
        if chart.sigma > 0:
            capability = spc.capability(chart.center, chart.sigma, self.tolerance_min, self.tolerance_max)
            figures.update(spc_cp=capability.cp or 0.0, spc_cpk=capability.cpk)
        else:
            figures['spc_message'] = 'No variation measured: limits and capability need some.'
        return figures

    def _spc_n(self):
        return max(self.subgroup_size, 1)

    def _spc_checks(self):
        return self.env['mes.quality.check'].sudo().search(
            [('point_id', '=', self.id), ('state', '=', 'done'), ('has_value', '=', True)],
            order='checked_at, id')

    @staticmethod
    def _out_of_control(chart):
        return any(p > chart.ucl or p < chart.lcl for p in chart.points)

    def _spc_judge(self, check):
        """Judge the chart point ``check`` completes against the limits of the history before
        it; open a quality alert for the Western Electric rules it breaks."""
        self.ensure_one()
        n = self._spc_n()
        checks = list(self._spc_checks())
        if check not in checks:
            return None
        position = checks.index(check)
        if position % n != n - 1:
            return None                      # its subgroup is not complete yet
        groups = subgroups([c.value for c in checks], n)
        index = position // n
        history = groups[max(0, index - self.spc_window):index]
        if len(history) < max(self.spc_min_points, 2):
            return None
        try:
            chart = control_chart(history)
        except ValueError:
            return None
        sigma = (chart.ucl - chart.center) / 3.0
        if sigma <= 0:
            return None
        new_point = sum(groups[index]) / len(groups[index])
        series = list(chart.points) + [new_point]
        broken = [v for v in spc.western_electric(series, chart.center, sigma) if v.index == len(series) - 1]
        if not broken:
            return None
        return self.env['mes.quality.alert'].sudo()._raise_for(
            check, 'individuals' if n == 1 else 'xbar', broken, new_point, chart.center, chart.lcl, chart.ucl)

    @caller()
    def action_open_chart(self):
        action = self.env.ref('shopfloor_mes.mes_quality_check_action_chart').read()[0]
        action['domain'] = [('point_id', '=', self.id), ('state', '=', 'done'), ('has_value', '=', True)]
        action['name'] = 'Measured values: %s' % self.name
        return action

    @caller()
    def action_open_alerts(self):
        action = self.env.ref('shopfloor_mes.mes_quality_alert_action').read()[0]
        action.update({'domain': [('point_id', '=', self.id)], 'context': {}})
        return action

    @caller()
    def action_print_spc(self):
        return self.env.ref('shopfloor_mes.action_report_mes_quality_spc').report_action(self)

    def _spc_recent_checks(self, limit=25):
        """The latest measured checks, newest last, for the report."""
        return self._spc_checks()[-limit:]


def subgroups(values, n):
    """Consecutive complete subgroups of ``n`` values (n = 1: one value each)."""
    return [values[i:i + n] for i in range(0, len(values) - n + 1, n)]


def control_chart(groups):
    """I-MR for groups of one value, X-bar/R otherwise (services/spc.py does the arithmetic)."""
    if groups and len(groups[0]) == 1:
        c = spc.individuals_chart([g[0] for g in groups])
        return Chart(c.values, [None] + c.moving_ranges, c.x.center, c.x.lcl, c.x.ucl,
                     c.mr.center, c.mr.lcl, c.mr.ucl, c.sigma)
    c = spc.xbar_r_chart(groups)
    return Chart(c.means, c.ranges, c.xbar.center, c.xbar.lcl, c.xbar.ucl,
                 c.r.center, c.r.lcl, c.r.ucl, c.sigma)


def chart_svg(chart, lsl, usl, unit, width=640, height=220):
    """A small SVG of the chart: points, centre line, control limits (dashed) and the
    specification limits (red); points out of control in red, out of specification in orange."""
    pad_l, pad_r, pad_y = 10, 110, 12
    levels = list(chart.points) + [chart.lcl, chart.ucl, lsl, usl]
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    low, high = low - span * 0.05, high + span * 0.05

    def x(i):
        return pad_l + (width - pad_l - pad_r) * (i / max(len(chart.points) - 1, 1))

    def y(v):
        return pad_y + (height - 2 * pad_y) * (high - v) / (high - low)

    parts = ['<div class="o_mes_spc_chart"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'style="font: 11px sans-serif; background: #fff">' % (width, height)]
    for label, level, style in (('USL', usl, 'stroke:#c00;stroke-width:1'),
                                ('UCL', chart.ucl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                                ('CL', chart.center, 'stroke:#2a8a2a'),
                                ('LCL', chart.lcl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                                ('LSL', lsl, 'stroke:#c00;stroke-width:1')):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" style="%s"/>'
                     % (pad_l, width - pad_r, y(level), y(level), style))
        parts.append('<text x="%d" y="%.1f">%s %.4g %s</text>'
                     % (width - pad_r + 4, y(level) + 4, label, level, html_escape(unit or '')))
    path = ' '.join('%.1f,%.1f' % (x(i), y(v)) for i, v in enumerate(chart.points))
    parts.append('<polyline points="%s" style="fill:none;stroke:#336;stroke-width:1.2"/>' % path)
    for i, v in enumerate(chart.points):
        # red: out of control; orange: in control but out of specification
        colour = '#c00' if not chart.lcl <= v <= chart.ucl else '#e67e00' if not lsl <= v <= usl else '#336'
        parts.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>' % (x(i), y(v), colour))
    parts.append('</svg></div>')
    return ''.join(parts)
