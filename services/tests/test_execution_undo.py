"""An operator takes back their own last entry from the tablet (issue 19, item 6): the contract
event ``undo`` names it, and the fold lets it supersede its target like a supervisor's correction
when allowed (same work order, a produce or consume, same operator and terminal, within the
window), else refuses the undo with a coded reason and the entry stands."""
import random
from dataclasses import replace
from datetime import timedelta

import pytest

from services import contract, errors
from services.execution import APPLIED, DEAD, SUPERSEDED, UNDO_WINDOW, fold
from services.execution_resume import resume, snapshot_fold
from services.tests.support import at
from services.tests.test_execution import context, ev, status


def undo(target, minute, seconds=0, employee='B-1', terminal=1, id=None):
    event = ev('undo', minute, id=id or 'undo-of-' + target.id, employee=employee, terminal=terminal, event=target.id)
    moment = at(minute) + timedelta(seconds=seconds)
    return replace(event, at=moment, received_at=moment + timedelta(seconds=1), corrects=target.id)


def test_an_undo_within_the_window_takes_the_quantity_back_and_counts_nothing():
    three = ev('produce', 10, qty=3.0)
    taken = undo(three, 11)
    state = fold([ev('start', 0), ev('produce', 5, qty=2.0), three, taken], context())
    assert state.good == 2.0
    assert status(state, three) == SUPERSEDED
    assert state.verdict(three.id).by == taken.id
    assert status(state, taken) == APPLIED


def test_a_consume_can_be_taken_back_too():
    used = ev('consume', 10, product_id=501, qty=4.0)
    state = fold([ev('start', 0), used, undo(used, 10, seconds=30)], context(component_needs={501: 20.0}))
    assert state.consumption == ()
    assert status(state, used) == SUPERSEDED


@pytest.mark.parametrize('make_undo, code', [
    (lambda target: undo(target, 10, seconds=int(UNDO_WINDOW.total_seconds()) + 1), 'undo_too_late'),
    (lambda target: undo(target, 9), 'undo_too_late'),   # before its target
    (lambda target: undo(target, 11, employee='B-2'), 'undo_other_sender'),
    (lambda target: undo(target, 11, terminal=2), 'undo_other_sender'),
])
def test_an_undo_not_allowed_is_refused_and_the_entry_stands(make_undo, code):
    three = ev('produce', 10, qty=3.0)
    refused = make_undo(three)
    state = fold([ev('start', 0), three, refused], context())
    assert state.good == 3.0
    assert status(state, three) == APPLIED
    assert status(state, refused) == DEAD
    error = state.verdict(refused.id).error()
    assert error.code == code and three.id in error.message


def test_only_quantities_are_taken_back():
    scrapped = ev('scrap', 10, qty=1.0, reason='JAM')
    refused = undo(scrapped, 11)
    state = fold([ev('start', 0), scrapped, refused], context())
    assert state.scrap == ((('JAM', None), 1.0),)
    assert state.verdict(refused.id).error().code == 'undo_not_a_quantity'
    start = ev('start', 0)
    state = fold([start, undo(start, 1)], context())
    assert status(state, start) == APPLIED and len(state.labor) == 1


def test_an_entry_of_another_work_order_or_none_is_unknown():
    elsewhere = ev('produce', 10, qty=3.0)   # not in this order's events
    refused = undo(elsewhere, 11)
    state = fold([ev('start', 0), refused], context())
    error = state.verdict(refused.id).error()
    assert error.code == 'undo_target_unknown' and elsewhere.id in error.message


def test_a_second_undo_of_the_same_entry_is_refused():
    three = ev('produce', 10, qty=3.0)
    first, second = undo(three, 11, id='u1'), undo(three, 11, seconds=20, id='u2')
    state = fold([ev('start', 0), three, first, second], context())
    assert state.good == 0.0 and status(state, first) == APPLIED
    assert state.verdict(second.id).error().code == 'undo_repeated'


def test_after_the_finish_an_entry_is_not_taken_back():
    three = ev('produce', 10, qty=3.0)
    late = undo(three, 11)
    finish = replace(ev('finish', 10), at=at(10) + timedelta(seconds=30))
    state = fold([ev('start', 0), three, finish, late], context())
    assert state.good == 3.0
    assert state.verdict(late.id).error(wo='WO/1').code == 'workorder_finished'


def test_a_supervisors_correction_still_supersedes():
    three = ev('produce', 10, qty=3.0)
    corrected = replace(ev('produce', 10, id='fix', terminal=0, qty=2.0), corrects=three.id)
    state = fold([ev('start', 0), three, corrected], context())
    assert state.good == 2.0 and status(state, three) == SUPERSEDED


def test_any_delivery_order_gives_the_same_state():
    three, one = ev('produce', 10, qty=3.0), ev('produce', 12, qty=1.0)
    events = [ev('start', 0), three, undo(three, 11), one, undo(one, 20), ev('stop', 30)]
    expected = fold(events, context())
    assert expected.good == 1.0
    rnd = random.Random(19)
    for _ in range(20):
        shuffled = events + [rnd.choice(events)]
        rnd.shuffle(shuffled)
        assert fold(shuffled, context()) == expected


def test_an_undo_arriving_after_a_snapshot_needs_the_full_fold():
    three = ev('produce', 10, qty=3.0)
    _state, snapshot, _running, _text = snapshot_fold([ev('start', 0), three], context())
    # the resume path refuses to walk on over a correction: the caller folds in full
    assert resume(snapshot, [undo(three, 11)], context()) is None


def test_the_contract_needs_the_event_taken_back():
    raw = {'schema': 1, 'id': 'u1', 'type': 'undo', 'workorder_id': 7, 'employee': 'B-1',
           'at': '2026-11-24T07:00:00Z', 'data': {'event': ' t1-17 '}}
    assert contract.parse_event(raw).data == {'event': 't1-17'}
    with pytest.raises(errors.FieldMissing) as missing:
        contract.parse_event(dict(raw, data={}))
    assert 'data.event' in missing.value.message
    with pytest.raises(errors.FieldInvalid) as invalid:
        contract.parse_event(dict(raw, data={'event': 17}))
    assert 'data.event' in invalid.value.message
