"""The record path and the recorded state of each work order: events folded in true time
(services/execution.py), labor and machine time, the live board."""
from . import mrp_workcenter
from . import mrp_workcenter_productivity
from . import mes_labor_log
from . import mrp_workorder
from . import mes_event_record
from . import mes_execution
