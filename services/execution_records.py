"""The records of the execution fold (services/execution.py): what it reads and what it gives.

Plain frozen dataclasses, so that a state is hashable and two folds compare with ``==``.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping, Optional, Tuple

from . import errors
from .execution_machine import STOP_THRESHOLD, MachineRecord


APPLIED, WAITING, HELD, DEAD, SUPERSEDED = 'applied', 'waiting', 'held', 'dead', 'superseded'


# -- input -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExecutionEvent:
    """One stored event of the work order, as the fold reads it."""
    id: str
    terminal: int                 # mes.terminal id (0 for events entered by a supervisor)
    seq: Optional[int]
    type: str                     # one of contract.EVENT_TYPES
    at: datetime                  # corrected to the server clock, naive UTC
    received_at: datetime         # first receipt, naive UTC
    employee: str                 # badge code or employee key
    data: Mapping = field(default_factory=dict, hash=False)   # contract.parse_event's clean data
    corrects: Optional[str] = None   # a supervisor's correction names the event it replaces


@dataclass(frozen=True)
class ExecutionContext:
    """What the fold knows besides the events: the plan, the company's limits, and now."""
    now: datetime
    planned_qty: Optional[float] = None        # this operation's quantity; None: not judged
    product_id: Optional[int] = None           # the part made here (a scrap of it is judged)
    component_needs: Mapping = field(default_factory=dict, hash=False)   # product id -> qty
    quantity_tolerance: float = 0.10           # a fraction of the planned quantity
    max_interval: timedelta = timedelta(hours=12)       # the longest shift
    max_age: timedelta = timedelta(days=7)              # event time before receipt
    partner_wait: timedelta = timedelta(hours=12)
    future_tolerance: timedelta = timedelta(seconds=120)
    approved: frozenset = frozenset()          # held event ids a supervisor approved
    workcenter_downtime: tuple = ()            # (start, end) down on other orders of the center
    machine_stop_threshold: timedelta = STOP_THRESHOLD   # a machine idle or down longer: a stop


def true_time_key(event):
    """The order the fold walks: corrected time, then terminal and its sequence, then id."""
    return (event.at, event.terminal, event.seq is None, event.seq or 0, event.id)


# -- output ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    status: str
    code: Optional[str] = None
    by: Optional[str] = None       # the event that made this one impossible, or its partner
    params: Tuple = ()             # (name, value) pairs the fold knows for the message

    def error(self, **names):
        """The coded error for this verdict; ``names`` adds what only the ORM knows (``wo``,
        ``wc``, an employee's name instead of the badge)."""
        if self.code is None:
            return None
        return ERRORS_BY_CODE[self.code](**dict(self.params, **names))


@dataclass(frozen=True)
class LaborInterval:
    employee: str
    start: datetime
    end: Optional[datetime]        # None: still running
    start_event: str
    end_event: Optional[str]       # the stop, or the finish that closed it
    closed_by_finish: bool = False


@dataclass(frozen=True)
class DownInterval:
    start: datetime
    end: Optional[datetime]
    reason: str                    # the reason code
    start_event: str
    end_event: Optional[str]


@dataclass(frozen=True)
class CheckRecord:
    event_id: str
    at: datetime
    employee: str
    point_id: int
    result: str
    value: Optional[float]
    note: Optional[str]


@dataclass(frozen=True)
class ExecutionState:
    """Everything recorded about one work order. Hashable and equal for equal histories."""
    labor: Tuple[LaborInterval, ...]               # by employee, then start
    run: Tuple[Tuple[datetime, Optional[datetime]], ...]   # union of labor minus downtime
    down: Tuple[DownInterval, ...]
    good: float
    good_by_lot: Tuple[Tuple[Optional[str], float], ...]
    scrap: Tuple[Tuple[Tuple[str, Optional[int]], float], ...]          # (reason, product id)
    consumption: Tuple[Tuple[Tuple[int, Optional[str]], float], ...]    # (product id, lot)
    checks: Tuple[CheckRecord, ...]
    finished_at: Optional[datetime]
    finish_event: Optional[str]
    verdicts: Tuple[Tuple[str, Verdict], ...]      # by event id
    machine: MachineRecord = MachineRecord()       # what the machine itself reported
    maintenance: Tuple[str, ...] = ()              # maintenance_request event ids

    def verdict(self, event_id):
        return dict(self.verdicts)[event_id]

    @property
    def finished(self):
        return self.finish_event is not None


ERRORS_BY_CODE = {cls.code: cls for cls in vars(errors).values()
                  if isinstance(cls, type) and issubclass(cls, errors.MesError)}
