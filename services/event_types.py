"""One description per event type: what a terminal sends and how the MES judges it.

Everything that depends on an event type reads it from here:
- the contract's parser (``services/contract.py``) validates ``data`` against ``fields``
  (kind, required, bounds) and knows the types by ``TYPES``;
- the fold (``services/execution.py``) walks each event with the step named ``fold_step``
  (registered there with ``@fold_step``) and applies the generic rules flagged here
  (``refused_after_finish``, ``undoable``);
- the record path (``models/``) looks up the reason a type names (``reason_kind``), runs the
  quality gate on ``quality_gate`` types, and takes ``sent_by='machine'`` types from a
  machine's own terminal only;
- the tablet reads a generated copy (``static/terminal/js/event_types.js``, written by
  ``python3 -m services.event_types --write``; a plain test fails when it is out of date): its
  check (``events.js checkEvent``) refuses a type without a ``tablet_action`` as unknown to the
  tablet and validates the data like the parser;
- the fuzz strategies (``tests/fuzz/strategies.py``) draw events from the fields.

Adding a type: its ``EventType`` below, its fold step in ``services/execution.py``, the tablet
copy regenerated, its tests. Events made on the server (a supervisor's ``labor_correction``) are
not terminal events and are not described here: the contract refuses them (``type_unknown``).
"""
import json
import sys
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from . import errors

# Bounds every field of a kind shares (the contract's, see services/contract.py).
MAX_TEXT = 200
MAX_NUMBER = 1e9
MAX_ID = 2 ** 31 - 1

KINDS = {
    'quantity': 'a number above 0, at most 1e9',
    'number': 'a number between -1e9 and 1e9',
    'id': 'an integer id between 0 and 2^31 - 1',
    'count': 'a whole number between 0 and 2^31 - 1 (at least 1 when required)',
    'text': 'a string of at most 200 characters, stripped (required: not blank)',
    'choice': 'one of the listed choices',
}
SENDERS = ('operator', 'machine')


@dataclass(frozen=True)
class Field:
    """One field of an event's ``data``."""
    name: str
    kind: str                       # one of KINDS
    required: bool = False
    choices: Tuple[str, ...] = ()   # a 'choice' field's values
    names: Optional[str] = None     # what the value names: 'reason', 'product', 'quality_point', 'event',
    #                                 'machine_stop' (the record path and the fuzz strategies read it)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError('field %s: kind %r is not one of %s' % (self.name, self.kind, ', '.join(KINDS)))
        if (self.kind == 'choice') != bool(self.choices):
            raise ValueError('field %s: choices go with kind "choice" and only with it' % self.name)

    def bounds(self):
        """The field's limits, as the tablet's check reads them."""
        if self.kind == 'quantity':
            return {'above': 0, 'max': MAX_NUMBER}
        if self.kind == 'number':
            return {'min': -MAX_NUMBER, 'max': MAX_NUMBER}
        if self.kind in ('id', 'count'):
            return {'min': 1 if self.kind == 'count' and self.required else 0, 'max': MAX_ID}
        if self.kind == 'text':
            return {'max_length': MAX_TEXT}
        return {'choices': list(self.choices)}


@dataclass(frozen=True)
class EventType:
    """One event type: its data, who sends it, and the verdict rules it needs."""
    name: str
    fields: Tuple[Field, ...] = ()
    sent_by: str = 'operator'              # 'machine': only a machine's own terminal sends it
    tablet_action: Optional[str] = None    # 'file.js: action' that sends it; None: no tablet sends it
    fold_step: Optional[str] = None        # the fold's step (services/execution.py); None: the type's name
    refused_after_finish: bool = False     # refused (workorder_finished) once the order is finished
    undoable: bool = False                 # its operator may take it back with an undo (2 minutes)
    held_above_need: bool = False          # held (held_quantity) when far above what is still needed
    partner: Optional[str] = None          # the type it waits for (waiting, then dead) when it comes alone
    reason_kind: Optional[str] = None      # the kind of reason its data.reason names (record path)
    quality_gate: bool = False             # a check is recorded, a produce or finish gated (record path)
    data_check: Optional[Callable] = None  # a rule across its clean fields; raises a MesError
    example: Tuple = ()                    # (name, value) pairs of a valid data, for tests and fuzzing
    doc: str = ''

    def __post_init__(self):
        if self.sent_by not in SENDERS:
            raise ValueError('type %s: sent_by %r is not one of %s' % (self.name, self.sent_by, ', '.join(SENDERS)))
        if self.sent_by == 'machine' and self.tablet_action:
            raise ValueError('type %s: a machine sends it, no tablet action does' % self.name)

    @property
    def step(self):
        return self.fold_step or self.name

    def field_names(self):
        return [f.name for f in self.fields]

    def example_data(self):
        return dict(self.example)

    def for_tablet(self):
        """What the tablet's copy keeps of it."""
        return OrderedDict([
            ('fields', [OrderedDict([('name', f.name), ('kind', f.kind), ('required', f.required)]
                                    + sorted(f.bounds().items())) for f in self.fields]),
            ('sent_by', self.sent_by),
            ('tablet_action', self.tablet_action),
        ])


def _cycle_counts_fit(clean):
    good, scrap = clean['good'] or 0, clean['scrap'] or 0
    if good + scrap > clean['count']:
        raise errors.FieldInvalid(field='data', problem='counts more good and scrap parts (%s) than cycles (%s)' % (
            good + scrap, clean['count']))


def _qty():
    return Field('qty', 'quantity', required=True)


MACHINE_STATES = ('running', 'idle', 'down', 'setup')

BUILT_IN = (
    EventType('start', tablet_action='actions.js: start', refused_after_finish=True, partner='stop',
              doc='the operator begins their time on the order'),
    EventType('stop', tablet_action='actions.js: stop', partner='start',
              doc='the operator ends their time (a finish before it already closed it)'),
    EventType('produce', (_qty(), Field('lot', 'text')), tablet_action='actions.js: produce',
              refused_after_finish=True, undoable=True, held_above_need=True, quality_gate=True,
              example=(('qty', 2),), doc='good parts made'),
    EventType('scrap', (_qty(), Field('reason', 'text', required=True, names='reason'),
                        Field('product_id', 'id', names='product')),
              tablet_action='actions.js: scrap', refused_after_finish=True, held_above_need=True,
              reason_kind='scrap', example=(('qty', 1), ('reason', 'BURR')),
              doc='parts (or a component: product_id) scrapped, with the reason'),
    EventType('consume', (Field('product_id', 'id', required=True, names='product'), _qty(), Field('lot', 'text')),
              tablet_action='actions.js: consume', refused_after_finish=True, undoable=True, held_above_need=True,
              example=(('product_id', 9), ('qty', 1)), doc='a component of the step used'),
    EventType('downtime_start', (Field('reason', 'text', required=True, names='reason'),),
              tablet_action='actions.js: downtimeStart', partner='downtime_end', reason_kind='downtime',
              example=(('reason', 'JAM'),), doc='the work center stops, with the reason'),
    EventType('downtime_end', tablet_action='actions.js: downtimeEnd', partner='downtime_start',
              doc='the work center runs again'),
    EventType('check', (Field('point_id', 'id', required=True, names='quality_point'),
                        Field('result', 'choice', required=True, choices=('pass', 'fail')),
                        Field('value', 'number'), Field('note', 'text')),
              tablet_action='actions.js: check', refused_after_finish=True, quality_gate=True,
              example=(('point_id', 3), ('result', 'pass')), doc='a quality check taken'),
    EventType('finish', tablet_action='actions.js: finish', refused_after_finish=True, quality_gate=True,
              doc='the order is finished; it closes everyone\'s time'),
    EventType('machine_cycle', (Field('count', 'count', required=True), Field('good', 'count'),
                                Field('scrap', 'count')),
              sent_by='machine', refused_after_finish=True, data_check=_cycle_counts_fit,
              example=(('count', 5), ('good', 4), ('scrap', 1)),
              doc='cycles since the machine\'s previous report (the MQTT bridge); "employee" is the machine'),
    EventType('machine_state', (Field('state', 'choice', required=True, choices=MACHINE_STATES),
                                Field('code', 'text')),
              sent_by='machine', refused_after_finish=True, example=(('state', 'down'), ('code', 'E-042')),
              doc='the machine\'s state changed; a long down or idle is an unexplained stop'),
    EventType('machine_stop_reason', (Field('stop', 'text', required=True, names='machine_stop'),
                                      Field('reason', 'text', required=True, names='reason')),
              tablet_action='machine_stop.js: classifyStop', partner='machine_state', reason_kind='downtime',
              example=(('stop', 'm:SAW-1:state:7'), ('reason', 'JAM')),
              doc='the operator\'s reason for a machine\'s unexplained stop ("stop": the machine_state event '
                  'that began it)'),
    EventType('maintenance_request', (Field('note', 'text', required=True),),
              tablet_action='actions.js: requestMaintenance', example=(('note', 'Blade guard loose'),),
              doc='the operator asks for maintenance of the work center\'s equipment; the posting opens it'),
    EventType('undo', (Field('event', 'text', required=True, names='event'),),
              tablet_action='actions.js: undoLast', example=(('event', 't1-17'),),
              doc='the operator takes back their own produce or consume ("event": its id) within minutes; '
                  'the fold judges whether they may'),
)

TYPES = OrderedDict((described.name, described) for described in BUILT_IN)


def get(name):
    """The description of ``name``, or None."""
    return TYPES.get(name) if isinstance(name, str) else None


def names(sent_by=None):
    return tuple(name for name, described in TYPES.items() if sent_by is None or described.sent_by == sent_by)


def register(described):
    """Add a type (``added`` for a test's throwaway one)."""
    if described.name in TYPES:
        raise ValueError('event type %s is described already' % described.name)
    TYPES[described.name] = described


def unregister(name):
    del TYPES[name]


@contextmanager
def added(described):
    register(described)
    try:
        yield described
    finally:
        unregister(described.name)


# -- the tablet's copy -------------------------------------------------------------------------

TABLET_MODULE = 'static/terminal/js/event_types.js'


def tablet_module():
    """The text of the tablet's copy of the descriptions."""
    body = '{\n%s\n}' % ',\n'.join('  %s: %s' % (json.dumps(name), json.dumps(d.for_tablet()))
                                     for name, d in TYPES.items())
    return ('// Generated from services/event_types.py by `python3 -m services.event_types --write`: do not\n'
            '// edit. services/tests/test_event_types.py fails when it is out of date.\n'
            'export const DESCRIPTIONS = %s;\n' % body)


def main(argv):
    import os
    text = tablet_module()
    if '--write' in argv:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with open(os.path.join(root, TABLET_MODULE), 'w', encoding='utf-8') as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main(sys.argv[1:])
