"""Breakdowns to maintenance requests, requests from the tablet, MTBF and MTTR."""
from . import mrp_workcenter_productivity
from . import maintenance_request
from . import maintenance_equipment
from . import mes_execution
