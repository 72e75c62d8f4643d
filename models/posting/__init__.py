"""The posting stage and costing: per-order jobs bring Odoo's stock, time logs and ledger up to
the recorded state; the cost sheet, WIP and variances."""
from . import account_move_line
from . import stock_move
from . import stock_scrap
from . import mes_posting
from . import mes_journal_items
from . import mrp_production
from . import mes_cost_line
