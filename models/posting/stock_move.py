from collections import OrderedDict

from odoo import fields, models
from odoo.tools import float_compare, float_round

# Who may read what a stock move is worth: the people who value stock (warehouse, accounting,
# manufacturing managers) and the MES's supervisors and finance; not operators.
VALUE_GROUPS = ('stock.group_stock_user,account.group_account_invoice,mrp.group_mrp_manager,'
                'shopfloor_mes.group_mes_supervisor,shopfloor_mes.group_mes_finance')


class _Gathered(list):
    """The valuation lines of one ``_action_done`` in a posting, carried in the context. Equal
    only to itself: Odoo reuses an environment whose context compares equal, and with two
    empty lists the lines would go to the other one."""
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__


def _tag(kind, event):
    """A shop-floor move's values saying what it is and which event reported it."""
    return {'mes_consumption': kind, 'mes_event_id': event.id if event else False}


class StockMovePosting(models.Model):
    _inherit = 'stock.move'

    value = fields.Float(groups=VALUE_GROUPS)
    remaining_value = fields.Float(groups=VALUE_GROUPS)
    price_unit = fields.Float(groups=VALUE_GROUPS)

    mes_production_id = fields.Many2one('mrp.production', 'Returned from order', index=True, copy=False,
                                        help='A component returned from an order to stock.')
    mes_consumption = fields.Selection(
        [('backflush', 'Backflush at BOM ratio'), ('explicit', 'Reported by the operator'),
         ('return', 'Backflush reversed'), ('finished', 'Finished as produced'),
         ('scrap', 'Consumed by scrapped units'), ('unfinished', 'Finished goods taken back')],
        'Shop-floor consumption', index=True, readonly=True, copy=False)
    mes_event_id = fields.Many2one('mes.event', 'Reported by event', index=True, readonly=True, copy=False)

    def _mes_cost_tag(self):
        """(order, work order, element, reason) that this move's valuation belongs to, or None."""
        production = self.raw_material_production_id or self.production_id or self.mes_production_id
        if self.scrapped:
            # do_scrap() links the scrap to its move only after valuing it: the scrap being done
            # is named in the context
            scrap = self.env['stock.scrap'].search([('move_id', '=', self.id)], limit=1) \
                or self.env['stock.scrap'].browse(self.env.context.get('mes_scrap_id')).exists()
            production = production or scrap.production_id
            return (production, scrap.workorder_id, 'scrap', scrap.mes_reason_id) if production else None
        if not production:
            return None
        workorder = self.workorder_id
        if self.production_id or self.mes_consumption == 'unfinished':
            return production, workorder, 'finished', None
        if workorder and getattr(workorder, 'mes_is_rework', False):
            return production, workorder, 'rework', workorder._mes_rework_reason()
        return production, workorder, 'material', None

    # Valuing a move is bookkeeping that whoever validates it sets off, not a read of theirs:
    # it runs as superuser so that a manufacturing user without VALUE_GROUPS can still do a move.
    def _run_valuation(self, quantity=None):
        return super(StockMovePosting, self.sudo())._run_valuation(quantity=quantity)

    def _action_done(self):
        if not self.env.context.get('mes_posting_entry') or 'mes_valuation_lines' in self.env.context:
            return super()._action_done()
        # in a posting, the valuation lines of all these moves join their order's entry together
        # (one look-up of the entry, one statement for the lines), not one move at a time
        gathered = _Gathered()
        moves = self.with_context(mes_valuation_lines=gathered)
        moves._mes_read_product_accounts()
        done = super(StockMovePosting, moves)._action_done()
        by_order = OrderedDict()
        for production, lines, name in gathered:
            entry = by_order.setdefault(production.id, ([], []))
            entry[0].extend(lines)
            entry[1].append(name)
        for production_id, (lines, names) in by_order.items():
            self.env['mrp.production'].browse(production_id)._mes_post(lines, '\n'.join(names))
        return done.with_env(self.env)

    def _mes_read_product_accounts(self):
        """Read the products' own stock and income accounts for all these moves at once, into
        the cache stock_account's valuation reads them from (as superuser, below): it reads them
        one move at a time, and each is a company-dependent property (some four statements a
        field and product). For a posting's moves, which are all valued."""
        templates = self.sudo().mapped('product_id.product_tmpl_id')
        for name in ('property_account_income_id', 'property_account_expense_id',
                     'property_stock_account_input', 'property_stock_account_output'):
            templates.mapped(name)

    def _account_entry_move(self):
        return super(StockMovePosting, self.sudo())._account_entry_move()

    def _get_price_unit(self):
        return super(StockMovePosting, self.sudo())._get_price_unit()

    def _prepare_account_move_line(self, qty, cost, credit_account_id, debit_account_id):
        lines = super()._prepare_account_move_line(qty, cost, credit_account_id, debit_account_id)
        tag = self._mes_cost_tag()
        if tag:
            production, workorder, element, reason = tag
            for _command, _id, values in lines:
                values.update({'mes_production_id': production.id, 'mes_workorder_id': workorder.id,
                               'mes_stock_move_id': self.id,
                               'mes_cost_element': element, 'mes_reason_id': reason.id if reason else False})
        return lines

    def _create_account_move_line(self, credit_account_id, debit_account_id, journal_id):
        """In a posting, a shop-floor move's valuation joins the order's one entry of that
        posting (``mrp.production._mes_post``) instead of an entry of its own. The lines are
        stock_account's own, on its accounts, so the valuation and the ledger still agree."""
        tag = self._mes_cost_tag() if self.env.context.get('mes_posting_entry') else None
        if not tag or self.env.context.get('force_valuation_amount'):
            return super()._create_account_move_line(credit_account_id, debit_account_id, journal_id)
        quantity = self.env.context.get('forced_quantity', self.product_qty)
        quantity = quantity if self._is_in() else -1 * quantity
        lines = self._prepare_account_move_line(quantity, abs(self.value), credit_account_id, debit_account_id)
        for _command, _id, values in lines:
            # a journal item's ref is its entry's (a related field): the picking's empty name
            # would blank the posting's reference
            values.pop('ref', None)
        if not lines:
            return
        gathered = self.env.context.get('mes_valuation_lines')
        if gathered is not None:
            gathered.append((tag[0], lines, self.name))   # posted by _action_done, with the others
        else:
            tag[0]._mes_post(lines, self.name)

    def _mes_set_done_quantity(self, qty, kind, event=None, lot=None):
        """Set ``qty`` (product UoM) of this open move to be done, tagged as the shop floor's;
        ``_action_done`` then does it (Odoo splits the rest into a new open move)."""
        self.ensure_one()
        self.write(_tag(kind, event))
        quantity = self.product_id.uom_id._compute_quantity(qty, self.product_uom, rounding_method='HALF-UP')
        if lot:
            self.env['stock.move.line'].create(dict(self._prepare_move_line_vals(quantity=0),
                                                    qty_done=quantity, lot_id=lot.id))
        else:
            self._set_quantity_done(quantity)
        return self

    def _mes_take(self, qty, kind, event=None, lot=None):
        """The move that does ``qty`` (product UoM) of this open planned move for the shop
        floor, set to be done and tagged; the caller does it, with the posting's other moves.

        Part of a planned move is split off into a move of its own, and the planned move keeps
        the rest. Odoo's ``_action_done`` splits the other way round: the planned move is done
        and a copy keeps the rest, confirmed one move at a time (some 60 statements a move).
        Split here, nothing is confirmed again and the posting's moves are done together, with
        the same quantities, quants and valuation. A planned move with stock reserved (or
        lines of its own) goes Odoo's way: its split hands the reserved lots and locations to
        the done part (and, as here, leaves the rest unreserved)."""
        self.ensure_one()
        quantity = self.product_id.uom_id._compute_quantity(qty, self.product_uom, rounding_method='HALF-UP')
        if self.move_line_ids or float_compare(quantity, self.product_uom_qty,
                                               precision_rounding=self.product_uom.rounding) >= 0:
            return self._mes_set_done_quantity(qty, kind, event, lot)
        line = dict(self._prepare_move_line_vals(), qty_done=quantity, lot_id=lot.id if lot else False)
        del line['move_id']
        # born in the planned move's state: confirming it again (as Odoo's _split does its copy)
        # would only find again the chained moves the split values carry
        taken = self.copy(dict(self._prepare_move_split_vals(quantity), state=self.state,
                               move_line_ids=[(0, 0, line)], **_tag(kind, event)))
        # as Odoo's _split leaves the part it keeps open
        rest = float_round(self.product_uom_qty - quantity, precision_digits=self.env['decimal.precision']
                           .precision_get('Product Unit of Measure'))
        self.with_context(do_not_propagate=True, do_not_unreserve=True, rounding_method='HALF-UP').write(
            {'product_uom_qty': rest})
        return taken

    def _mes_done_now(self, qty, kind, event=None, lot=None):
        """Do ``qty`` (product UoM) of this open move at once, so stock_account values it now
        (components: Dr WIP / Cr stock; finished goods: Dr stock / Cr WIP). Returns the done move."""
        taken = self._mes_take(qty, kind, event, lot)
        taken._action_done()
        return taken
