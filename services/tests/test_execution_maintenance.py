"""The fold keeps the maintenance requests asked for on a work order (issue 19, item 6): each
once, in true time, also after the finish, and the same when walked on from a snapshot."""
from dataclasses import replace

from services import contract, errors
from services.execution import APPLIED, fold
from services.execution_resume import resume, snapshot_fold
from services.tests.test_execution import context, ev, status

import pytest


def test_requests_are_kept_in_true_time_once_each_and_count_nothing_else():
    first = ev('maintenance_request', 20, note='Coolant leak')
    second = ev('maintenance_request', 5, note='Blade guard loose')
    events = [ev('start', 0), first, second, first, ev('produce', 10, qty=2.0)]
    state = fold(events, context())
    assert state.maintenance == (second.id, first.id)
    assert status(state, first) == APPLIED and status(state, second) == APPLIED
    assert state.good == 2.0 and state.down == ()


def test_a_request_after_the_finish_still_counts():
    asked = ev('maintenance_request', 30, note='Spindle noise')
    state = fold([ev('start', 0), ev('finish', 20), asked], context())
    assert state.maintenance == (asked.id,)
    assert status(state, asked) == APPLIED


def test_walked_on_from_a_snapshot_gives_the_full_folds_requests():
    earlier = [ev('start', 0), ev('maintenance_request', 5, note='Blade guard loose')]
    later = [ev('maintenance_request', 40, note='Coolant leak'), ev('stop', 50)]
    _state, snapshot, _running, _text = snapshot_fold(earlier, context())
    walked, _snapshot, _running, _text = resume(snapshot, later, context())
    # a resumed walk gives the verdicts of the events it walked; the rest is the full fold's
    assert replace(walked, verdicts=()) == replace(fold(earlier + later, context()), verdicts=())
    assert len(walked.maintenance) == 2


def test_the_contract_needs_the_note():
    raw = {'schema': 1, 'id': 'm1', 'type': 'maintenance_request', 'workorder_id': 7, 'employee': 'B-1',
           'at': '2026-11-24T07:00:00Z', 'data': {'note': ' Blade guard loose '}}
    assert contract.parse_event(raw).data == {'note': 'Blade guard loose'}
    with pytest.raises(errors.FieldMissing) as missing:
        contract.parse_event(dict(raw, data={}))
    assert 'data.note' in missing.value.message
