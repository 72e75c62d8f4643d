"""Statistical process control of measurement points, on top of services/spc.py.

The chart of a point is built from its done checks with a value, in the order they were
checked (checked_at, then id): an individuals / moving-range chart (I-MR) when the subgroup
size is 1, an X-bar / R chart of consecutive subgroups otherwise (an incomplete last subgroup
waits). The point's form shows the chart of its latest ``spc_window`` chart points.

A new value is judged against the limits of the chart points *before* it (its history, at
least ``spc_min_points`` of them), or against the limits a supervisor froze: a selected Western
Electric rule it completes opens a quality alert. Frozen limits are the process's established
limits (the usual practice once it is in control): later values no longer move them.

Both panels are drawn (X-bar or individuals above, range or moving range below), with a
histogram of the values against the specification for capability. Times on the chart and in
the PDF are the plant's (the company's time zone), whoever looks.
"""
from collections import namedtuple
from html import escape as html_escape

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..services import spc
from . import mes_plant_time
from .mes_access import SUPERVISOR, caller

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
    spc_histogram_svg = fields.Html('Capability histogram', compute='_compute_spc', sanitize=False)
    spc_tz = fields.Char('Times in', compute='_compute_spc', help='The plant\'s time zone (the company\'s).')
    spc_rule_1 = fields.Boolean('Rule 1: a point beyond 3 sigma', default=True)
    spc_rule_2 = fields.Boolean('Rule 2: 2 of 3 beyond 2 sigma', default=True)
    spc_rule_3 = fields.Boolean('Rule 3: 4 of 5 beyond 1 sigma', default=True)
    spc_rule_4 = fields.Boolean('Rule 4: 8 in a row on one side', default=True)
    spc_limits_frozen = fields.Boolean('Limits frozen', readonly=True,
                                       help='The limits below were frozen: new values are judged against them.')
    spc_frozen_center = fields.Float('Frozen centre', readonly=True, digits=(16, 4))
    spc_frozen_lcl = fields.Float('Frozen LCL', readonly=True, digits=(16, 4))
    spc_frozen_ucl = fields.Float('Frozen UCL', readonly=True, digits=(16, 4))
    spc_frozen_range_center = fields.Float('Frozen mean range', readonly=True, digits=(16, 4))
    spc_frozen_range_lcl = fields.Float('Frozen range LCL', readonly=True, digits=(16, 4))
    spc_frozen_range_ucl = fields.Float('Frozen range UCL', readonly=True, digits=(16, 4))
    spc_frozen_sigma = fields.Float('Frozen sigma', readonly=True, digits=(16, 4))
    spc_frozen_at = fields.Datetime('Frozen on', readonly=True)
    spc_frozen_at_plant = fields.Char('Frozen on (plant time)', compute='_compute_spc_frozen_at_plant')
    spc_frozen_by = fields.Many2one('res.users', 'Frozen by', readonly=True)
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
        """The chart of the latest ``spc_window`` points, as field values; frozen limits when a
        supervisor froze them."""
        figures = {'spc_points': 0, 'spc_center': 0.0, 'spc_lcl': 0.0, 'spc_ucl': 0.0,
                   'spc_range_center': 0.0, 'spc_range_lcl': 0.0, 'spc_range_ucl': 0.0,
                   'spc_sigma': 0.0, 'spc_cp': 0.0, 'spc_cpk': 0.0, 'spc_chart_svg': False,
                   'spc_histogram_svg': False, 'spc_tz': self._spc_tz().zone}
        if self.kind != 'measure':
            return dict(figures, spc_message='Control charts are for measurement points.')
        checks = self._spc_checks()
        n = self._spc_n()
        groups = subgroups([c.value for c in checks], n)
        shown = max(self.spc_window, 2)
        times = [checks[(i + 1) * n - 1].checked_at for i in range(len(groups))][-shown:]
        groups = groups[-shown:]
        try:
            chart = self._spc_frozen(control_chart(groups))
        except ValueError:
            return dict(figures, spc_points=len(groups),
                        spc_message='Not enough measurements yet for a chart (%d).' % len(groups))
        flagged = self._spc_flagged(chart)
        message = 'In control' if not flagged else 'Out of control at %d point(s): %s' % (
            len(flagged), ', '.join('rule %s' % r for r in sorted({r for rules in flagged.values() for r in rules})))
        if self.spc_limits_frozen:
            message += ' (frozen limits)'
        figures.update(
            spc_points=len(groups), spc_center=chart.center, spc_lcl=chart.lcl, spc_ucl=chart.ucl,
            spc_range_center=chart.r_center, spc_range_lcl=chart.r_lcl, spc_range_ucl=chart.r_ucl,
            spc_sigma=chart.sigma, spc_message=message,
            spc_chart_svg=chart_svg(chart, self.tolerance_min, self.tolerance_max, self.unit, n,
                                    [self._spc_local(t) for t in times], flagged,
                                    frozen=self.spc_limits_frozen, tz=self._spc_tz().zone),
            spc_histogram_svg=histogram_svg([c.value for c in checks[-shown * n:]], chart, self.tolerance_min,
                                            self.tolerance_max, self.unit))
        if chart.sigma > 0:
            capability = spc.capability(chart.center, chart.sigma, self.tolerance_min, self.tolerance_max)
            figures.update(spc_cp=capability.cp or 0.0, spc_cpk=capability.cpk)
        else:
            figures['spc_message'] = 'No variation measured: limits and capability need some.'
        return figures

    def _spc_frozen(self, chart):
        """``chart`` with the frozen limits in place of its own, when frozen."""
        if not self.spc_limits_frozen:
            return chart
        return chart._replace(center=self.spc_frozen_center, lcl=self.spc_frozen_lcl, ucl=self.spc_frozen_ucl,
                              r_center=self.spc_frozen_range_center, r_lcl=self.spc_frozen_range_lcl,
                              r_ucl=self.spc_frozen_range_ucl, sigma=self.spc_frozen_sigma)

    def _spc_rules(self):
        return tuple(rule for rule in spc.RULE_NUMBERS if self['spc_rule_%d' % rule])

    def _spc_flagged(self, chart):
        """{point index: [rules]} the chart's points break (selected rules, beyond the limits)."""
        sigma = (chart.ucl - chart.center) / 3.0
        if sigma <= 0 or not self._spc_rules():
            return {}
        flagged = {}
        for violation in spc.western_electric(chart.points, chart.center, sigma, self._spc_rules()):
            flagged.setdefault(violation.index, []).append(violation.rule)
        return flagged

    # -- the plant's time, on screen and in the PDF ----------------------------------------------
    def _compute_spc_frozen_at_plant(self):
        mes_plant_time.compute(self, {'spc_frozen_at_plant': 'spc_frozen_at'})

    def _spc_tz(self):
        company = self.env.user.company_id
        return pytz.timezone(company._mes_books_tz() if company else 'UTC')

    def _spc_local(self, value, fmt='%Y-%m-%d %H:%M'):
        """A naive-UTC datetime (or Odoo string) as the plant's local time."""
        if not value:
            return ''
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return pytz.utc.localize(value).astimezone(self._spc_tz()).strftime(fmt)

    # -- frozen limits -----------------------------------------------------------------------------
    @caller(SUPERVISOR)
    def action_freeze_limits(self):
        """Freeze the limits of the chart as it is now: later values are judged against them."""
        for point in self:
            groups = subgroups([c.value for c in point._spc_checks()], point._spc_n())[-max(point.spc_window, 2):]
            if len(groups) < max(point.spc_min_points, 2):
                raise UserError(_('%s: %d chart points, at least %d (History before alerts) are needed to '
                                  'freeze limits.') % (point.name, len(groups), max(point.spc_min_points, 2)))
            chart = control_chart(groups)
            if chart.sigma <= 0:
                raise UserError(_('%s: no variation measured yet, there are no limits to freeze.') % point.name)
            point.sudo().write({
                'spc_limits_frozen': True, 'spc_frozen_center': chart.center, 'spc_frozen_lcl': chart.lcl,
                'spc_frozen_ucl': chart.ucl, 'spc_frozen_range_center': chart.r_center,
                'spc_frozen_range_lcl': chart.r_lcl, 'spc_frozen_range_ucl': chart.r_ucl,
                'spc_frozen_sigma': chart.sigma, 'spc_frozen_at': fields.Datetime.now(),
                'spc_frozen_by': self.env.uid})
        return True

    @caller(SUPERVISOR)
    def action_unfreeze_limits(self):
        """Let the limits follow the latest values again."""
        self.sudo().write({'spc_limits_frozen': False, 'spc_frozen_at': False, 'spc_frozen_by': False})
        return True

    def _spc_n(self):
        return max(self.subgroup_size, 1)

    def _spc_checks(self):
        return self.env['mes.quality.check'].sudo().search(
            [('point_id', '=', self.id), ('state', '=', 'done'), ('has_value', '=', True)],
            order='checked_at, id')

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
        if len(history) < (2 if self.spc_limits_frozen else max(self.spc_min_points, 2)):
            return None
        try:
            chart = self._spc_frozen(control_chart(history))
        except ValueError:
            return None
        sigma = (chart.ucl - chart.center) / 3.0
        if sigma <= 0 or not self._spc_rules():
            return None
        new_point = sum(groups[index]) / len(groups[index])
        series = list(chart.points) + [new_point]
        broken = [v for v in spc.western_electric(series, chart.center, sigma, self._spc_rules())
                  if v.index == len(series) - 1]
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


LABEL_GAP = 12       # px between two limit labels: the 11 px font does not overlap


def chart_svg(chart, lsl, usl, unit, n=1, times=(), flagged=None, frozen=False, tz='UTC', width=680):
    """Both panels of the chart as one SVG: the values (X-bar or individuals) with centre line,
    control limits (dashed) and specification limits (red) above; the ranges (R or moving range)
    with their limits below. Points breaking a selected run rule in red (the rules' numbers
    beside them), in control but out of specification in orange. Limit labels are spread so
    they never overlap; the first and last points are dated in the plant's time zone."""
    flagged = flagged or {}
    top = _panel(chart.points, [('USL', usl, 'stroke:#c00'), ('UCL', chart.ucl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                                ('CL', chart.center, 'stroke:#2a8a2a'),
                                ('LCL', chart.lcl, 'stroke:#e67e00;stroke-dasharray:5,3'), ('LSL', lsl, 'stroke:#c00')],
                 unit, width, 200, 0, flagged=flagged, spec=(lsl, usl), limits=(chart.lcl, chart.ucl))
    ranges = list(chart.ranges)
    bottom = _panel(ranges, [('UCL', chart.r_ucl, 'stroke:#e67e00;stroke-dasharray:5,3'),
                             ('R-bar' if n > 1 else 'MR-bar', chart.r_center, 'stroke:#2a8a2a'),
                             ('LCL', chart.r_lcl, 'stroke:#e67e00;stroke-dasharray:5,3')],
                    unit, width, 120, 215, limits=(chart.r_lcl, chart.r_ucl))
    titles = ('X-bar (subgroups of %d)' % n if n > 1 else 'Individuals', 'Range' if n > 1 else 'Moving range')
    caption = '%s%s' % (titles[0], ' — frozen limits' if frozen else '')
    dates = ''
    if times:
        dates = ('<text x="10" y="352" fill="#555">%s</text><text x="%d" y="352" fill="#555" text-anchor="end">%s '
                 '(%s)</text>' % (html_escape(times[0]), width - 120, html_escape(times[-1]), html_escape(tz)))
    return ('<div class="o_mes_spc_chart"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="360" '
            'style="font: 11px sans-serif; background: #fff">'
            '<text x="10" y="10" font-weight="bold">%s</text>%s'
            '<text x="10" y="225" font-weight="bold">%s</text>%s%s</svg></div>'
            % (width, html_escape(caption), top, titles[1], bottom, dates))


def _panel(points, lines, unit, width, height, offset, flagged=None, spec=(None, None), limits=(None, None)):
    """One panel: ``points`` (None = no point, the first moving range) and labelled ``lines``."""
    pad_l, pad_r, pad_y = 10, 120, 16
    values = [p for p in points if p is not None]
    levels = values + [level for _label, level, _style in lines if level is not None]
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    low, high = low - span * 0.05, high + span * 0.05
    flagged = flagged or {}

    def x(i):
        return pad_l + (width - pad_l - pad_r) * (i / max(len(points) - 1, 1))

    def y(v):
        return offset + pad_y + (height - 2 * pad_y) * (high - v) / (high - low)

    shown = [(label, level, style) for label, level, style in lines if level is not None]
    label_y = spc.spread_labels([y(level) for _l, level, _s in shown], LABEL_GAP)
    parts = []
    for (label, level, style), text_y in zip(shown, label_y):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" style="%s"/>'
                     % (pad_l, width - pad_r, y(level), y(level), style))
        parts.append('<text class="o_mes_spc_label" x="%d" y="%.1f">%s %.4g %s</text>'
                     % (width - pad_r + 4, text_y + 4, label, level, html_escape(unit or '')))
    path = ' '.join('%.1f,%.1f' % (x(i), y(v)) for i, v in enumerate(points) if v is not None)
    parts.append('<polyline points="%s" style="fill:none;stroke:#336;stroke-width:1.2"/>' % path)
    lcl, ucl = limits
    lsl, usl = spec
    for i, v in enumerate(points):
        if v is None:
            continue
        out = i in flagged or (lcl is not None and not lcl <= v <= ucl)
        colour = '#c00' if out else '#e67e00' if lsl is not None and not lsl <= v <= usl else '#336'
        parts.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>' % (x(i), y(v), colour))
        if i in flagged:
            parts.append('<text x="%.1f" y="%.1f" fill="#c00" text-anchor="middle">%s</text>'
                         % (x(i), y(v) - 5, ','.join(str(r) for r in sorted(set(flagged[i])))))
    return ''.join(parts)


def histogram_svg(values, chart, lsl, usl, unit, width=680, height=170, bins=12):
    """The values' histogram against the specification limits (red) and the process's
    natural spread, centre +- 3 sigma (dashed), for capability at a glance."""
    if not values or chart.sigma <= 0:
        return False
    marks = [('LSL', lsl, '#c00', ''), ('USL', usl, '#c00', ''),
             ('-3s', chart.center - 3 * chart.sigma, '#e67e00', '5,3'),
             ('+3s', chart.center + 3 * chart.sigma, '#e67e00', '5,3')]
    low = min(values + [m[1] for m in marks])
    high = max(values + [m[1] for m in marks])
    span = (high - low) or 1.0
    low, high = low - span * 0.02, high + span * 0.02
    result = spc.histogram(values, low, high, bins)
    tallest = max(result.counts) or 1
    pad, base = 10, height - 30

    def x(v):
        return pad + (width - 2 * pad) * (v - low) / (high - low)

    parts = ['<div class="o_mes_spc_histogram"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'style="font: 11px sans-serif; background: #fff"><text x="10" y="12" font-weight="bold">'
             'Capability: %d values</text>' % (width, height, len(values))]
    for k, count in enumerate(result.counts):
        left = x(result.low + k * result.width)
        bar = (base - 20) * count / tallest
        parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#8aa4c8" stroke="#fff"/>'
                     % (left, base - bar, x(result.low + (k + 1) * result.width) - left, bar))
    label_x = spc.spread_labels([x(m[1]) for m in marks], 36)
    for (label, level, colour, dash), text_x in zip(marks, label_x):
        parts.append('<line x1="%.1f" x2="%.1f" y1="18" y2="%d" style="stroke:%s;stroke-dasharray:%s"/>'
                     % (x(level), x(level), base, colour, dash or 'none'))
        parts.append('<text x="%.1f" y="%d" fill="%s" text-anchor="middle">%s</text>'
                     % (text_x, base + 14, colour, label))
    parts.append('<text x="10" y="%d" fill="#555">%.4g to %.4g %s</text></svg></div>'
                 % (height - 2, low, high, html_escape(unit or '')))
    return ''.join(parts)
