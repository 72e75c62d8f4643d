from odoo import _, api, fields, models

from ...services import display_sort
from ..shared import plant_time
from .common import guard_state, notify, require_supervisor, transition

STATES = [('new', 'New'), ('acknowledged', 'Acknowledged'), ('closed', 'Closed')]
CHARTS = [('individuals', 'Individuals (I)'), ('xbar', 'Subgroup means (X-bar)')]
RULES = {
    1: 'one point beyond 3 sigma',
    2: 'two of three points beyond 2 sigma on one side',
    3: 'four of five points beyond 1 sigma on one side',
    4: 'eight points in a row on one side of the centre line',
}


class MesQualityAlert(models.Model):
    """A control chart signal: a new measurement broke one of the Western Electric rules on its
    point's chart. The supervisors follow it and get a to-do.

    States, declared in ``_transitions``: new → acknowledged (someone looks into it) →
    closed (what was done is written down); a new alert can be closed at once.
    """
    _name = 'mes.quality.alert'
    _description = 'Quality alert (control chart signal)'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'id desc'
    _transitions = frozenset({('new', 'acknowledged'), ('new', 'closed'), ('acknowledged', 'closed')})

    name = fields.Char(readonly=True, required=True, copy=False, default='New')
    state = fields.Selection(STATES, default='new', required=True, readonly=True, index=True,
                             track_visibility='onchange')
    point_id = fields.Many2one('mes.quality.point', 'Control point', required=True, readonly=True,
                               index=True, ondelete='cascade')
    check_id = fields.Many2one('mes.quality.check', 'Check', readonly=True,
                               help='The check whose value completed the pattern.')
    workorder_id = fields.Many2one(related='check_id.workorder_id', store=True, readonly=True)
    production_id = fields.Many2one(related='check_id.production_id', store=True, readonly=True)
    product_id = fields.Many2one(related='check_id.product_id', store=True, readonly=True)
    workcenter_id = fields.Many2one(related='check_id.workcenter_id', store=True, readonly=True)
    chart = fields.Selection(CHARTS, readonly=True)
    rules = fields.Char('Rules broken', readonly=True, help='Western Electric rule numbers.')
    description = fields.Text(readonly=True)
    value = fields.Float('Chart point', readonly=True, help='The value, or the subgroup mean.')
    center = fields.Float('Centre line', readonly=True)
    lcl = fields.Float('Lower control limit', readonly=True)
    ucl = fields.Float('Upper control limit', readonly=True)
    acknowledged_by = fields.Many2one('res.users', readonly=True)
    closed_by = fields.Many2one('res.users', readonly=True)
    closed_at = fields.Datetime(readonly=True)
    resolution = fields.Text(help='What was found and done.')
    measured_at = fields.Datetime(related='check_id.checked_at', store=True, readonly=True,
                                  string='Measured (UTC)', help='When the value that raised the alert was measured.')
    # what the list and form show: the plant's time, as the SPC chart and its PDF do
    measured_at_plant = fields.Char('Measured (plant time)', compute='_compute_plant_time',
                                    help='When the value was measured, in the plant\'s time zone (the company\'s).')
    raised_at_plant = fields.Char('Raised (plant time)', compute='_compute_plant_time',
                                  help='When the alert was raised, in the plant\'s time zone (the company\'s).')
    closed_at_plant = fields.Char('Closed (plant time)', compute='_compute_plant_time')
    _plant_time = {'measured_at_plant': 'measured_at', 'raised_at_plant': 'create_date',
                   'closed_at_plant': 'closed_at'}

    def _compute_plant_time(self):
        plant_time.compute(self, self._plant_time)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        return display_sort.sortable(super().fields_get(allfields, attributes), self._plant_time, attributes)

    @api.model
    def _generate_order_by(self, order_spec, query):
        return super()._generate_order_by(display_sort.order(order_spec, self._plant_time), query)

    @api.model
    def create(self, values):
        if values.get('name', 'New') == 'New':
            values['name'] = self.env['ir.sequence'].sudo().next_by_code('mes.quality.alert') or 'New'
        return super().create(values)

    def write(self, values):
        guard_state(self, values)
        return super().write(values)

    @api.model
    def _raise_for(self, check, chart, violations, value, center, lcl, ucl):
        """Open one alert for the rules ``violations`` (spc.Violation) broken at ``check``, and
        tell the supervisors."""
        point = check.point_id
        rules = sorted({v.rule for v in violations})
        side = violations[0].side
        description = '%s on %s: %s %s (centre %s, limits %s to %s) — %s, %s the centre line.' % (
            point.name, check.workorder_id.display_name, dict(CHARTS)[chart], _num(value),
            _num(center), _num(lcl), _num(ucl), '; '.join('rule %d: %s' % (r, RULES[r]) for r in rules), side)
        alert = self.create({
            'point_id': point.id, 'check_id': check.id, 'chart': chart,
            'rules': ', '.join(str(r) for r in rules), 'description': description,
            'value': value, 'center': center, 'lcl': lcl, 'ucl': ucl})
        notify(alert, _('Process out of control: %s') % point.name, description, point.responsible_id)
        return alert

    def action_acknowledge(self):
        require_supervisor(self, 'acknowledge')
        return transition(self, 'acknowledged', acknowledged_by=self.env.uid)

    def action_close(self):
        require_supervisor(self, 'close')
        return transition(self, 'closed', closed_by=self.env.uid, closed_at=fields.Datetime.now())


def _num(value):
    return '%.4g' % value
