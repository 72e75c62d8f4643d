"""OEE: work center states, OEE records and loss lines, the live refresh and the timeline."""
from . import mrp_workcenter
from . import mes_oee_record
from . import mes_oee_loss
from . import mes_workcenter_timeline
