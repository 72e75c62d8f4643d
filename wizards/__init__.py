"""Dialogs: discard or correct rejected events, correct a labor log, show a new terminal token,
recompute OEE, Odoo's "Update quantity" for planners."""
from . import mes_event_discard
from . import mes_event_data_correction
from . import mes_labor_correction
from . import mes_terminal_token
from . import mes_oee_recompute
from . import change_production_qty
