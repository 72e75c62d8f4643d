"""Quality points and checks on work orders, SPC, nonconformances, alerts and the cost of
quality."""
from . import mes_quality_point
from . import mes_quality_check
from . import mes_nonconformance
from . import mes_quality_alert
from . import mrp_workorder
