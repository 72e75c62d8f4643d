"""What the shop floor reported changes only through the MES."""
from . import mrp_guard
