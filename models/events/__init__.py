"""The event log: every fact a terminal sent, stored before it is judged, with its verdict; the
dead-letter queue and the supervisor's corrections."""
from . import mes_event
from . import mes_event_correction
