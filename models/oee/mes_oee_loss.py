"""Where a period's planned time went, one line per loss: the downtime Pareto.

Lines are written with their ``mes.oee.record`` by its refresh. Stops with a reason are the
minutes of that reason's downtime inside planned production time; the other lines are the
losses nobody reported (unreported stops, micro-stops, unexplained speed loss) and the ideal
time of scrapped and rejected units. Planned stops are listed too, flagged, but are no loss.
"""
from odoo import api, fields, models

from ..shared.access import caller
from .mes_oee_record import PERIOD_KINDS

LOSS_KINDS = [
    ('planned', 'Planned stop'), ('downtime', 'Stop with a reason'), ('idle', 'Stop without a reason'),
    ('gap', 'No output, no reason'),
    ('slowdown', 'Slowdown with a reason'), ('micro', 'Micro-stops'), ('speed', 'Speed loss'),
    ('startup', 'Startup rejects'), ('scrap', 'Scrap'), ('rejected', 'Failed checks'),
]
# The six big losses of TPM. Stops nobody explained are counted with setup and adjustments:
# the other availability loss that is not a breakdown.
BIG_LOSSES = [
    ('breakdown', '1 Breakdowns'), ('setup', '2 Setup, adjustments and other stops'), ('small_stop', '3 Small stops'),
    ('speed', '4 Reduced speed'), ('startup', '5 Startup rejects'), ('production', '6 Production rejects'),
]
BIG_LOSS_OF_KIND = {'idle': 'setup', 'gap': 'setup', 'micro': 'small_stop', 'slowdown': 'speed', 'speed': 'speed',
                    'startup': 'startup', 'scrap': 'production', 'rejected': 'production'}


class MesOeeLoss(models.Model):
    _name = 'mes.oee.loss'
    _description = 'OEE loss of a work center over a period'
    _order = 'minutes desc, id'

    record_id = fields.Many2one('mes.oee.record', 'OEE record', required=True, index=True, ondelete='cascade')
    workcenter_id = fields.Many2one(related='record_id.workcenter_id', store=True, readonly=True)
    period_kind = fields.Selection(PERIOD_KINDS, related='record_id.period_kind', store=True, readonly=True)
    date = fields.Date(related='record_id.date', store=True, readonly=True)
    shift_label = fields.Char(related='record_id.shift_label', store=True, readonly=True)
    kind = fields.Selection(LOSS_KINDS, required=True)
    label = fields.Char('Loss', required=True, help='The reason, or what the loss is when nobody reported one.')
    reason_id = fields.Many2one('mes.reason', 'Reason', ondelete='set null')
    category_id = fields.Many2one('mes.reason', 'Category', ondelete='set null')
    loss_type = fields.Selection([('availability', 'Availability'), ('performance', 'Performance'),
                                  ('quality', 'Quality')], 'Loss type', required=True)
    is_planned = fields.Boolean('Planned stop')
    big_loss = fields.Selection(BIG_LOSSES, 'Big loss', compute='_compute_big_loss', store=True,
                                help='Which of the six big losses of TPM this is (none for a planned stop).')
    minutes = fields.Float()
    stops = fields.Integer('Occurrences')

    @api.depends('kind', 'reason_id.is_breakdown')
    def _compute_big_loss(self):
        for line in self:
            if line.kind == 'downtime':
                line.big_loss = 'breakdown' if line.reason_id.is_breakdown else 'setup'
            else:
                line.big_loss = BIG_LOSS_OF_KIND.get(line.kind, False)

    @api.model
    def _prepare_values(self, loss):
        reason = self.env['mes.reason'].browse(loss.reason_id) if loss.reason_id else self.env['mes.reason']
        return {'kind': loss.kind, 'label': loss.label or reason.name, 'reason_id': reason.id,
                'category_id': reason.parent_id.id, 'loss_type': loss.loss_type, 'is_planned': loss.planned,
                'minutes': loss.minutes, 'stops': loss.stops}

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """With ``mes_pareto`` in the context and no explicit order, groups come largest first,
        so a bar chart grouped by loss is a Pareto chart."""
        groups = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        if self.env.context.get('mes_pareto') and not orderby and 'minutes' in [f.split(':')[0] for f in fields]:
            groups.sort(key=lambda g: -(g.get('minutes') or 0.0))
        return groups

    @caller()
    def action_view_records(self):
        """The records behind a loss: the downtime of a stop or slowdown with a reason, the run time
        a pause without output or a speed loss happened in, the timeline of a stop nobody
        reported, the scrap or failed checks; the OEE record otherwise."""
        self.ensure_one()
        record = self.record_id
        if self.reason_id:
            return self.env['mrp.workcenter.productivity']._mes_downtime_action(
                record._time_log_domain() + [('mes_reason_id', '=', self.reason_id.id)],
                '%s: %s' % (self.label, record.name))
        if self.kind == 'scrap':
            return record.action_view_scrap()
        if self.kind == 'rejected':
            return record.action_view_failed_checks()
        if self.kind in ('gap', 'micro', 'speed'):      # pauses and slowness happen while logged in and running
            return record.action_view_run_time()
        if self.kind == 'idle':                         # nobody on it: where in the day, on the timeline
            return record.action_view_timeline()
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.oee.record', 'res_id': record.id,
                'view_mode': 'form', 'views': [(False, 'form')]}

    def name_get(self):
        return [(loss.id, '%s · %s' % (loss.label, loss.record_id.display_name)) for loss in self]
