"""The descriptions of the event types (services/event_types.py) against what uses them: the
contract's parser, the fold's steps and rules, and the tablet's generated copy."""
import os

import pytest

from services import contract, errors, event_types, execution
from services.execution import APPLIED, DEAD, HELD, SUPERSEDED, WAITING, ExecutionContext, ExecutionEvent, fold
from services.tests.support import at, make_event

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TYPES = list(event_types.TYPES.values())


def test_the_tablets_copy_is_up_to_date():
    with open(os.path.join(ROOT, event_types.TABLET_MODULE), encoding='utf-8') as handle:
        assert handle.read() == event_types.tablet_module(), \
            'static/terminal/js/event_types.js is out of date: run python3 -m services.event_types --write'


def test_every_described_type_has_its_fold_step_and_every_step_a_type():
    steps = {described.step for described in TYPES}
    assert steps <= set(execution.FOLD_STEPS), steps - set(execution.FOLD_STEPS)
    assert set(execution.FOLD_STEPS) <= steps, set(execution.FOLD_STEPS) - steps


def test_the_parser_knows_the_described_types_and_fields():
    assert contract.EVENT_TYPES == tuple(event_types.TYPES)
    assert contract.MACHINE_TYPES == ('machine_cycle', 'machine_state')
    for described in TYPES:
        event = contract.parse_event(make_event(described.name, described.example_data()))
        assert sorted(event.data) == sorted(described.field_names())


@pytest.mark.parametrize('described', TYPES, ids=lambda d: d.name)
def test_every_required_field_is_refused_by_its_name_when_missing(described):
    for field in described.fields:
        if field.required:
            data = dict(described.example_data())
            data.pop(field.name)
            with pytest.raises(errors.FieldMissing) as refused:
                contract.parse_event(make_event(described.name, data))
            assert refused.value.params['field'] == 'data.' + field.name


def test_a_description_says_what_it_may_be():
    with pytest.raises(ValueError, match='kind'):
        event_types.Field('x', 'colour')
    with pytest.raises(ValueError, match='choices'):
        event_types.Field('x', 'text', choices=('a',))
    with pytest.raises(ValueError, match='sent_by'):
        event_types.EventType('x', sent_by='printer')
    with pytest.raises(ValueError, match='tablet action'):
        event_types.EventType('x', sent_by='machine', tablet_action='actions.js: x')
    with pytest.raises(ValueError, match='described already'):
        event_types.register(event_types.TYPES['start'])


# -- the verdict rules a description flags are the fold's ----------------------------------------

CONTEXT = ExecutionContext(now=at(60), planned_qty=10.0, product_id=900, component_needs={9: 10.0})


def event(described, minute, number, **data):
    return ExecutionEvent(id='%s-%d' % (described.name, number), terminal=1, seq=number, type=described.name,
                          at=at(minute), received_at=at(minute), employee='A',
                          data=dict(described.example_data(), **data),
                          corrects='none' if described.name == 'undo' else None)


@pytest.mark.parametrize('described', TYPES, ids=lambda d: d.name)
def test_refused_after_finish_is_what_the_description_says(described):
    finish = event(event_types.TYPES['finish'], 1, 0)
    late = event(described, 2, 1)
    verdict = fold([finish, late], CONTEXT).verdict(late.id)
    assert (verdict.status, verdict.code) == (DEAD, 'workorder_finished') \
        if described.refused_after_finish else verdict.code != 'workorder_finished'


@pytest.mark.parametrize('described', TYPES, ids=lambda d: d.name)
def test_it_waits_for_the_partner_the_description_names_and_no_other(described):
    """Two of the type in a row, nothing else: a type with a partner waits for it."""
    events = [event(described, 1, 1), event(described, 2, 2)]
    waiting = [v for _id, v in fold(events, CONTEXT).verdicts if v.status == WAITING]
    assert bool(waiting) == bool(described.partner)
    assert {dict(v.params)['partner'] for v in waiting} <= {described.partner}


@pytest.mark.parametrize('described', [d for d in TYPES if 'qty' in d.field_names()], ids=lambda d: d.name)
def test_held_above_need_is_what_the_description_says(described):
    far_above = event(described, 1, 1, qty=1000.0)
    verdict = fold([far_above], CONTEXT).verdict(far_above.id)
    assert (verdict.status == HELD and verdict.code == 'held_quantity') == described.held_above_need


@pytest.mark.parametrize('described', [d for d in TYPES if d.name != 'undo'], ids=lambda d: d.name)
def test_undoable_is_what_the_description_says(described):
    entry = event(described, 1, 1)
    undo = ExecutionEvent(id='undo-1', terminal=1, seq=2, type='undo', at=at(2), received_at=at(2), employee='A',
                          data={'event': entry.id}, corrects=entry.id)
    state = fold([entry, undo], CONTEXT)
    assert (state.verdict(entry.id).status == SUPERSEDED) == described.undoable
    assert state.verdict(undo.id).status == (APPLIED if described.undoable else DEAD)


def test_the_flags_the_record_path_reads():
    assert {d.name: d.reason_kind for d in TYPES if d.reason_kind} == {
        'scrap': 'scrap', 'downtime_start': 'downtime', 'machine_stop_reason': 'downtime'}
    assert [d.name for d in TYPES if d.quality_gate] == ['produce', 'check', 'finish']
    for described in TYPES:
        if described.reason_kind:
            assert 'reason' in described.field_names()
