"""A work order's recorded state as JSON, without the ORM: the parts of an ``ExecutionState``
(services/execution.py) that Odoo's records follow, as ``mes.execution`` stores them. The
posting compares the recorded JSON before and after a fold and books the difference."""
from .execution_machine import machine_to_json


def state_to_json(state):
    """The parts of an ``ExecutionState`` that Odoo's records follow, as plain JSON."""
    # maintenance requests only when there are any: the states recorded before keep their text
    return dict(_state_json(state), **({'maintenance': list(state.maintenance)} if state.maintenance else {}))


def _state_json(state):
    return {
        'labor': [[i.employee, _s(i.start), _s(i.end), i.start_event, i.end_event, i.closed_by_finish]
                  for i in state.labor],
        'down': [[_s(d.start), _s(d.end), d.reason, d.start_event, d.end_event] for d in state.down],
        'good': state.good,
        'good_by_lot': [[lot, qty] for lot, qty in state.good_by_lot],
        'scrap': [[reason, product, qty] for (reason, product), qty in state.scrap],
        'consumption': [[product, lot, qty] for (product, lot), qty in state.consumption],
        'checks': [c.event_id for c in state.checks],
        'finished_at': _s(state.finished_at),
        'finish_event': state.finish_event,
        'machine': machine_to_json(state.machine),   # the machine's own counts and stops, if any
    }


def _s(moment):
    """A recorded time: to the microsecond (Odoo's own datetimes keep the second)."""
    return moment.strftime('%Y-%m-%d %H:%M:%S.%f') if moment else None
