"""Readable names for records planners open from the OEE and dead-letter screens.

Odoo names a record without a ``name`` field "model,id" (a breadcrumb read "mes.event,194"),
and a grouped list adds up every integer column, ids included (dead-letter group headers
summed the work order ids sent). Only display: no stored value changes here.
"""
from odoo import _, fields, models

from .mes_i18n import gettext_for

KIND_LABELS = {'day': 'Day', 'shift': 'Shift', 'week': 'Week'}


class MesEventNames(models.Model):
    _inherit = 'mes.event'

    # numbers that are identities or positions, not quantities: never summed in a group
    seq = fields.Integer(group_operator=False)
    workorder_ref = fields.Integer(group_operator=False)
    clock_offset_ms = fields.Float(group_operator=False)

    def name_get(self):
        """"produce 12 · WO/00012 - Cut · 2026-11-24 07:00:00" (the true time, UTC)."""
        result = []
        # the event type in the reader's language (the words the error catalogue marks)
        gettext = gettext_for(self.env, self.env.lang) or (lambda word: word)
        for event in self.sudo():
            what = gettext(event.type) if event.type else _('event')
            if event.qty:
                what = '%s %g' % (what, event.qty)
            parts = [what, event.workorder_id.display_name or (event.workorder_ref and '#%d' % event.workorder_ref),
                     event.corrected_at or event.received_at]
            result.append((event.id, ' · '.join(p for p in parts if p)))
        return result


class MesExecutionNames(models.Model):
    _inherit = 'mes.execution'

    def name_get(self):
        return [(x.id, x.sudo().workorder_id.display_name or _('Execution %d') % x.id) for x in self]


class MesOeeLossNames(models.Model):
    _inherit = 'mes.oee.loss'

    def name_get(self):
        return [(loss.id, '%s · %s' % (loss.label, loss.record_id.display_name)) for loss in self]


class MesWorkcenterTimelineNames(models.TransientModel):
    _inherit = 'mes.workcenter.timeline'

    def name_get(self):
        return [(t.id, '%s · %s' % (t.workcenter_id.display_name, t.date)) for t in self]
