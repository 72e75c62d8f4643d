"""Quality points: what to check, on which operation, how often; and the statistical process
control of measurement points, on top of services/spc.py (charts drawn by services/spc_chart.py).

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
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...services import errors, spc
from ...services.quality import due_pieces
from ...services.spc_chart import chart_svg, control_chart, histogram_svg, subgroups
from ..shared import plant_time
from ..shared.access import SUPERVISOR, caller

KINDS = [('passfail', 'Pass / fail'), ('measure', 'Measurement'),
         ('instruction', 'Instruction to acknowledge')]
FREQUENCIES = [('first', 'First piece of a run'), ('every', 'Every unit'), ('nth', 'Every Nth unit')]


class MesQualityPoint(models.Model):
    """Where and what to check: per product (or category) and operation, and how often.

    When a check is due on a work order (the rule ``services.quality.due_pieces``, applied by
    ``mrp.workorder._mes_quality_schedule``):

    - first piece of a run: one check, for piece 1, due as soon as the work order starts (its
      first ``start``, or its first ``check``/``produce`` if no start was reported). A run is
      one work order, so a rework work order on the same operation has its own first piece.
    - every Nth unit: one check for each multiple of N the good quantity produced reaches or
      crosses (pieces N, 2N, 3N, ...); a ``produce`` that crosses two multiples makes two.
    - every unit: the same with N = 1, one check per good unit produced.

    A blocking point holds the work order: ``produce`` and ``finish`` are refused while one of
    its checks there is still to do, or while its latest check failed (a new check that passes
    clears it). A non-blocking check still to do when the work order finishes is *missed*.
    """
    _name = 'mes.quality.point'
    _description = 'Quality control point'
    _order = 'sequence, id'

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one('product.product', help='Empty: every product (of the category).')
    product_categ_id = fields.Many2one('product.category', 'Product category',
                                       help='Empty: products of every category.')
    operation_id = fields.Many2one('mrp.routing.workcenter', 'Operation',
                                   help='Empty: every operation of the product.')
    kind = fields.Selection(KINDS, default='passfail', required=True)
    nominal = fields.Float()
    tolerance_min = fields.Float('Lower limit', help='Lower specification limit (LSL), inclusive.')
    tolerance_max = fields.Float('Upper limit', help='Upper specification limit (USL), inclusive.')
    unit = fields.Char()
    instructions = fields.Text()
    frequency = fields.Selection(
        FREQUENCIES, default='first', required=True,
        help='First piece: once per work order, due at its start. Every Nth unit: due each time '
             'the good quantity produced reaches a multiple of N. Every unit: N = 1.')
    frequency_n = fields.Integer('Every N units', default=10)
    blocking = fields.Boolean(
        help='Produce and finish are refused on the work order while a check of this point is '
             'to do there or its latest check failed.')
    reason_id = fields.Many2one('mes.reason', 'Defect reason', ondelete='restrict',
                                domain=[('kind', '=', 'scrap'), ('is_category', '=', False)],
                                help='Given to the nonconformance a failed check opens.')
    inspection_minutes = fields.Float(
        'Inspection minutes', help='Standard time one check takes, valued at the inspector\'s '
        'rate in the cost of quality.')
    responsible_id = fields.Many2one(
        'res.users', 'Responsible', help='Gets the to-dos of alerts and nonconformances from '
        'this point; without one, every MES supervisor does.')
    check_ids = fields.One2many('mes.quality.check', 'point_id', 'Checks')
    check_count = fields.Integer('Checks done', compute='_compute_check_count')
    active = fields.Boolean(default=True)

    @api.constrains('kind', 'tolerance_min', 'tolerance_max')
    def _check_limits(self):
        for point in self.filtered(lambda p: p.kind == 'measure'):
            if point.tolerance_min >= point.tolerance_max:
                raise ValidationError(errors.QualityPointLimits(
                    point=point.name, lower=point.tolerance_min, upper=point.tolerance_max).message)

    @api.constrains('frequency', 'frequency_n')
    def _check_frequency(self):
        for point in self.filtered(lambda p: p.frequency == 'nth' and p.frequency_n < 1):
            raise ValidationError(_('%s: "Every N units" must be 1 or more.') % point.name)

    def _compute_check_count(self):
        counts = dict((row['point_id'][0], row['point_id_count']) for row in self.env['mes.quality.check'].read_group(
            [('point_id', 'in', self.ids), ('state', '=', 'done')], ['point_id'], ['point_id']))
        for point in self:
            point.check_count = counts.get(point.id, 0)

    def _applies_to(self, workorder):
        self.ensure_one()
        product = workorder.production_id.product_id
        if self.operation_id and self.operation_id != workorder.operation_id:
            return False
        if self.product_id and self.product_id != product:
            return False
        if self.product_categ_id and self.product_categ_id != product.categ_id:
            return False
        return True

    @api.model
    def _for_workorder(self, workorder):
        """The active points that apply to ``workorder`` (same rule as ``_applies_to``)."""
        product = workorder.production_id.product_id
        return self.search([
            ('operation_id', 'in', [False, workorder.operation_id.id]),
            ('product_id', 'in', [False, product.id]),
            ('product_categ_id', 'in', [False, product.categ_id.id])])

    def _due_pieces(self, produced, started):
        """Piece numbers this point wants checked on a work order that has ``produced`` good
        units and has (or has not) ``started``."""
        self.ensure_one()
        return due_pieces(self.frequency, self.frequency_n, produced, started)

    @caller()
    def action_open_checks(self):
        action = self.env.ref('shopfloor_mes.mes_quality_check_action').read()[0]
        action.update({'domain': [('point_id', 'in', self.ids)],
                       'context': {'default_point_id': self.id, 'search_default_done': 1}})
        return action

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
        plant_time.compute(self, {'spc_frozen_at_plant': 'spc_frozen_at'})

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
