"""Read-only reports over SQL views: WIP, cost by operation and by employee, cost of quality,
machine against operator counts."""
from . import mes_wip_report
from . import mes_cost_breakdown
from . import mes_cost_of_quality
from . import mes_machine_reconciliation
