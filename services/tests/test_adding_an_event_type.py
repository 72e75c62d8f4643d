"""A throwaway event type added through its description alone (services/event_types.py) and
its fold step: the contract parses it, the fold walks it, and the tablet's check, reading the
descriptions regenerated with it, refuses it as unknown to the tablet (it has no tablet action).
Nothing else is edited: no parser, no list of types, no tablet file by hand."""
import json
import os
import shutil
import subprocess

import pytest

from services import contract, errors, event_types, execution
from services.execution import APPLIED, DEAD, ExecutionContext, ExecutionEvent, fold
from services.execution_resume import resume, snapshot_fold
from services.tests.support import at, make_event

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PALLET = event_types.EventType(
    'pallet_label', (event_types.Field('pallets', 'count', required=True), event_types.Field('note', 'text')),
    refused_after_finish=True, example=(('pallets', 2),),
    doc='labels printed for full pallets (a throwaway type of this test)')


def pallet_step(walk, event):
    """Labels are printed while someone is on the order: refused (not_started) otherwise."""
    if walk.running:
        walk.apply(event)
    else:
        walk.refuse(event, errors.NotStarted, employee=event.employee, at=event.at.strftime('%Y-%m-%d %H:%M:%S'))


@pytest.fixture
def pallet_type():
    with event_types.added(PALLET):
        execution.fold_step(PALLET.step)(pallet_step)
        try:
            yield PALLET
        finally:
            del execution.FOLD_STEPS[PALLET.step]


def raw_pallet(**data):
    return make_event('pallet_label', data)


def test_without_its_description_the_type_is_unknown():
    with pytest.raises(errors.TypeUnknown):
        contract.parse_event(raw_pallet(pallets=2))


def test_the_contract_parses_it_from_its_description(pallet_type):
    event = contract.parse_event(raw_pallet(pallets=2, note=' row 4 ', colour='red'))
    assert (event.type, event.data) == ('pallet_label', {'pallets': 2, 'note': 'row 4'})
    with pytest.raises(errors.FieldMissing) as missing:
        contract.parse_event(raw_pallet(note='row 4'))
    assert missing.value.params == {'field': 'data.pallets', 'type': 'pallet_label'}
    with pytest.raises(errors.QtyNotPositive):
        contract.parse_event(raw_pallet(pallets=0))
    with pytest.raises(errors.FieldInvalid) as invalid:
        contract.parse_event(raw_pallet(pallets=2, note='x' * 201))
    assert invalid.value.params['field'] == 'data.note'
    with pytest.raises(errors.TypeUnknown) as unknown:
        contract.parse_event(make_event('pallet'))
    assert 'pallet_label' in unknown.value.params['known']


def event(etype, minute, **data):
    return ExecutionEvent(id='%s@%d' % (etype, minute), terminal=1, seq=minute, type=etype, at=at(minute),
                          received_at=at(minute), employee='A', data=data)


CONTEXT = ExecutionContext(now=at(60))


def test_the_fold_walks_it_with_its_step_and_the_rules_its_description_flags(pallet_type):
    start, pallets, late = event('start', 1), event('pallet_label', 5, pallets=2), event('pallet_label', 30, pallets=1)
    finish = event('finish', 20)
    state = fold([late, finish, pallets, start], CONTEXT)
    assert state.verdict(pallets.id).status == APPLIED                       # its step: someone is on the order
    assert (state.verdict(late.id).status, state.verdict(late.id).code) == (DEAD, 'workorder_finished')   # its flag
    alone = fold([pallets], CONTEXT).verdict(pallets.id)
    assert (alone.status, alone.code) == (DEAD, 'not_started')               # its step
    assert alone.error(wo='WO/0001').message.startswith('A has no running time on work order WO/0001')
    # walked on from a snapshot like any other type
    _state, snapshot, _running, _text = snapshot_fold([start], CONTEXT)
    resumed, _snapshot, _running, _text = resume(snapshot, [pallets], CONTEXT)
    assert resumed.verdict(pallets.id).status == APPLIED


def test_the_tablets_check_refuses_it_as_unknown_to_the_tablet(pallet_type, tmp_path):
    # the tablet's files with its copy of the descriptions regenerated, as a developer would
    tablet = tmp_path / 'js'
    shutil.copytree(os.path.join(ROOT, 'static', 'terminal', 'js'), str(tablet))
    (tablet / 'event_types.js').write_text(event_types.tablet_module(), encoding='utf-8')
    with open(os.path.join(ROOT, event_types.TABLET_MODULE), encoding='utf-8') as committed:
        assert committed.read() != event_types.tablet_module()   # test_event_types says so until regenerated
    script = ("import { DESCRIPTIONS } from %s; import { checkEvent } from %s;\n"
              "console.log(JSON.stringify({described: 'pallet_label' in DESCRIPTIONS,\n"
              "  pallet: checkEvent('pallet_label', {pallets: 2}), produce: checkEvent('produce', {qty: 1})}));"
              % (json.dumps((tablet / 'event_types.js').as_uri()), json.dumps((tablet / 'events.js').as_uri())))
    out = subprocess.run(['node', '--input-type=module', '-e', script], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, timeout=60).stdout
    answer = json.loads(out)
    assert answer['described'] is True                  # the tablet's copy has it ...
    assert answer['pallet']['code'] == 'type_unknown'   # ... with no tablet action: refused
    assert answer['pallet']['field'] == 'type'
    assert answer['produce'] is None                    # the same check lets a tablet type through
