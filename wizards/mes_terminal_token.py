from odoo import fields, models

from ..models.terminal.mes_terminal import TOKEN_CONTEXT_KEY


class MesTerminalToken(models.TransientModel):
    """Shows a freshly issued token once. The token is not stored, not even in this transient
    row: the issuing action passes it in its context, and the dialog displays it from there."""
    _name = 'mes.terminal.token'
    _description = 'Terminal token, shown once'

    terminal_id = fields.Many2one('mes.terminal', readonly=True)
    token = fields.Char(compute='_compute_token')

    def init(self):
        # Earlier builds stored the token in this column: drop it, and the tokens with it.
        self.env.cr.execute('ALTER TABLE mes_terminal_token DROP COLUMN IF EXISTS token')

    def _compute_token(self):
        for wizard in self:
            wizard.token = self.env.context.get(TOKEN_CONTEXT_KEY) or False
