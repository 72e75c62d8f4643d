"""The one catalogue of MES errors.

Every refusal, whether of a whole request or of one terminal event, is a ``MesError`` with a
stable ``code`` (what the terminal API returns and the dead-letter queue stores) and a message
that says what was wrong and what to do.

Translation. services/ knows no ORM and so no language: templates are marked with ``_``, a
no-op here that Odoo's exporter collects into i18n/shopfloor_mes.pot (its Python keyword is
``_``; ``_lt`` is only read in JS). The message is stored and logged in English, the one
language of the record (the dead-letter queue, logs and searches read the same whoever
reported it); it is translated where it is rendered for a reader, by a ``gettext`` the caller
binds to that reader's language: ``MesError.render`` for an error in hand, and
``translate_message`` for a stored one (the record path writes messages in bulk SQL, not the
errors: the code names the template, which reads the parameters back out of the message).
"""
import re

# every string marked in services/: a parameter that is one of them is translated too
MARKED = set()
# code -> error class, for messages read back from the store
CATALOGUE = {}


def _(source):
    """Mark ``source`` for the .pot; it is returned untranslated (see the module's doc)."""
    MARKED.add(source)
    return source


class MesError(Exception):
    """Base of every coded MES error."""

    code = 'mes_error'
    http_status = 422
    template = _('The shop-floor event could not be applied.')
    retryable = False

    def __init__(self, message=None, **params):
        self.params = params
        self.custom = message is not None
        self.message = message or (self.template % params if params else self.template)
        super().__init__(self.message)

    def as_dict(self, gettext=None):
        return {'code': self.code, 'message': self.render(gettext)}

    def render(self, gettext=None):
        """The message in the language of ``gettext`` (one catalogue string in, its
        translation out); English without it, or when the message was given ready-made."""
        if gettext is None or self.custom:
            return self.message
        return _fill(gettext, self.template, self.params)


# the parameters that carry a word of ours (PARAMETER_WORDS), not a name or a value as sent
WORD_PARAMETERS = frozenset(('type', 'kind', 'state', 'target', 'transition', 'partner', 'status'))


def _fill(gettext, template, params):
    """``template`` translated and filled, its word parameters translated too. A translation
    that breaks its placeholders falls back to the English message."""
    words = {name: gettext(value) for name, value in params.items()
             if name in WORD_PARAMETERS and isinstance(value, str) and value in MARKED}
    try:
        return gettext(template) % dict(params, **words) if params else gettext(template)
    except (KeyError, ValueError, TypeError):
        return template % params if params else template


def _pattern(template):
    """The regular expression that reads a template's parameters back out of its message."""
    names, parts = set(), []
    for index, piece in enumerate(re.split(r'%\((\w+)\)s', template)):
        if index % 2 == 0:
            parts.append(re.escape(piece))
        else:
            parts.append('(?P=%s)' % piece if piece in names else '(?P<%s>.*?)' % piece)
            names.add(piece)
    return re.compile(''.join(parts), re.DOTALL)


def translate_message(code, message, gettext):
    """A stored message of error ``code`` in the language of ``gettext``: the code's template
    gives back the parameters, its translation is filled with them. A message that is not its
    template's (written ready-made, or by an older catalogue) is returned as it is."""
    error = CATALOGUE.get(code)
    if error is None or not message:
        return message
    if '%(' not in error.template:
        return gettext(error.template) if message == error.template else message
    found = error.pattern.fullmatch(message)
    return _fill(gettext, error.template, found.groupdict()) if found else message


def _error(code, template, http_status=422, retryable=False):
    error = type(''.join(p.title() for p in code.split('_')) + 'Error', (MesError,), {
        'code': code, 'template': template, 'http_status': http_status, 'retryable': retryable,
        'pattern': _pattern(template),
    })
    CATALOGUE[code] = error
    return error


# -- whole-request errors (answered with the HTTP status, nothing applied) ---------------------
NotJson = _error('not_json', _('Send the body as JSON with Content-Type: application/json.'), 415)
MalformedBody = _error('malformed_body', _('The request body is not valid: %(detail)s'), 400)
TooManyEvents = _error(
    'too_many_events', _('A request carries at most %(limit)s events; this one has %(count)s. '
    'Split the batch and send the rest in further requests.'), 413)
BodyTooLarge = _error(
    'body_too_large', _('The request body is %(size)s bytes; the limit is %(limit)s bytes. '
    'Send smaller batches.'), 413)
Unauthorized = _error(
    'unauthorized', _('The terminal token is missing, unknown or revoked. Ask a supervisor to '
    'issue a new token for this terminal and enter it in the terminal set-up.'), 401)
Forbidden = _error('forbidden', _('This terminal is not bound to %(what)s.'), 403)
NotFound = _error('not_found', _('%(what)s does not exist.'), 404)
ServiceUnavailable = _error(
    'service_unavailable', _('The server is briefly unavailable (%(detail)s). Retry the same '
    'request; nothing was applied twice.'), 503, retryable=True)
LoginFailed = _error('login_failed', _('Unknown badge or wrong PIN. Try again or ask a supervisor.'), 401)
EmployeeLocked = _error(
    'employee_locked', _('Too many wrong PINs: this badge is locked until %(until)s UTC. '
    'Wait, or ask a supervisor to unlock.'), 423)

# -- event errors (the event is stored as dead, the request still answers 200) -----------------
FieldMissing = _error('field_missing', _('Field "%(field)s" is required for a %(type)s event.'))
FieldInvalid = _error('field_invalid', _('Field "%(field)s" %(problem)s.'))
SchemaUnsupported = _error(
    'schema_unsupported', _('Event schema %(schema)s is not supported; this server speaks '
    'schema %(supported)s. Update the terminal.'))
TypeUnknown = _error(
    'type_unknown', _('Event type "%(type)s" is unknown; known types: %(known)s.'))
QtyNotPositive = _error(
    'qty_not_positive', _('Quantity must be greater than zero; got %(qty)s. Report a correction '
    'to a supervisor instead of a negative quantity.'))
TimeInFuture = _error(
    'time_in_future', _('The event time %(at)s is %(ahead)s s ahead of the server after clock '
    'correction (tolerance %(tolerance)s s). Check the terminal clock.'))
WorkorderUnknown = _error('workorder_unknown', _('Work order %(id)s does not exist.'))
WorkcenterNotOnTerminal = _error(
    'workcenter_not_on_terminal', _('Work order %(wo)s runs on %(wc)s, which this terminal is '
    'not bound to. Use the terminal at that work center or ask a supervisor to bind it.'))
WorkorderFinished = _error(
    'workorder_finished', _('Work order %(wo)s was finished at %(finished)s UTC; a %(type)s at '
    '%(at)s UTC cannot be applied after that. A supervisor can correct the order.'))
WorkorderCancelled = _error(
    'workorder_cancelled', _('Work order %(wo)s is cancelled; nothing can be reported on it.'))
WorkorderNotReady = _error(
    'workorder_not_ready', _('Work order %(wo)s is %(state)s; it can start once the previous '
    'operation has produced or the components are available.'))
EmployeeUnknown = _error(
    'employee_unknown', _('No active employee has badge "%(badge)s". Check the badge or ask a '
    'supervisor to register it.'))
EmployeeNotAllowed = _error(
    'employee_not_allowed', _('%(employee)s is not qualified for work center %(wc)s. A '
    'supervisor can add it to the employee\'s MES work centers.'))
ReasonUnknown = _error(
    'reason_unknown', _('No active %(kind)s reason has code "%(code)s". Pick a reason from the '
    'list or ask a supervisor to add it.'))
ProductUnknown = _error('product_unknown', _('Product %(id)s does not exist.'))
ComponentNotOnOrder = _error(
    'component_not_on_order', _('%(product)s is not a component of %(mo)s. A planner can add '
    'it to the order\'s components first.'))
LotRequired = _error(
    'lot_required', _('%(product)s is tracked by lot/serial: send "lot" with the %(type)s event.'))
AlreadyStarted = _error(
    'already_started', _('%(employee)s is already on work order %(wo)s since %(since)s UTC; '
    'stop first.'))
NotStarted = _error(
    'not_started', _('%(employee)s has no running time on work order %(wo)s before %(at)s UTC.'))
DowntimeAlreadyOpen = _error(
    'downtime_already_open', _('Work center %(wc)s is already down since %(since)s UTC '
    '(%(reason)s); end that downtime first.'))
NoOpenDowntime = _error(
    'no_open_downtime', _('Work center %(wc)s has no downtime open before %(at)s UTC.'))
CheckPointUnknown = _error(
    'check_point_unknown', _('Quality point %(id)s does not exist or does not apply to work '
    'order %(wo)s.'))
EventIdConflict = _error(
    'event_id_conflict', _('Event id %(id)s was already received on %(first_at)s UTC with other '
    'content; this version is kept beside the first in the dead-letter queue. Every event needs '
    'an id of its own: a supervisor decides which version is the fact.'))
MachineEventFromTablet = _error(
    'machine_event_from_tablet', _('A %(type)s event comes from a machine: only a terminal of kind '
    'machine (the MQTT bridge\'s token) may send it.'))
MachineUnknown = _error(
    'machine_unknown', _('This terminal is the machine "%(machine)s"; it cannot report for machine '
    '"%(employee)s". Give each machine its own terminal and token.'))
MachineStopUnknown = _error(
    'machine_stop_unknown', _('The machine reported no stop starting with event %(stop)s on this work order: '
    'classify a stop the terminal shows.'))
MachineStopClassified = _error(
    'machine_stop_classified', _('The machine\'s stop of %(since)s UTC was already classified as "%(reason)s"; '
    'a supervisor corrects that event to change it.'))
InternalError = _error(
    'internal_error', _('The server could not apply this event (%(detail)s). It is kept in the '
    'dead-letter queue; a supervisor can retry it.'))

# -- quality (control points, checks, nonconformance, alerts) ----------------------------------
CheckBlocking = _error(
    'quality_check_blocking', _('To %(transition)s work order %(wo)s, the check %(check)s must '
    'pass first: %(status)s.'))
CheckValueMissing = _error(
    'check_value_missing', _('Quality point %(point)s is a measurement: send the measured value '
    '(%(unit)s) with the check.'))
QualityPointLimits = _error(
    'quality_point_limits', _('The lower limit of %(point)s (%(lower)s) must be below its upper '
    'limit (%(upper)s). Correct the limits on the control point.'))
StateRefused = _error(
    'state_refused', _('%(record)s is %(state)s; it cannot become %(target)s.'))
SupervisorRequired = _error(
    'supervisor_required', _('Only an MES supervisor can %(action)s %(record)s. Ask a supervisor.'), 403)
NonconformanceIncomplete = _error(
    'nonconformance_incomplete', _('To approve %(nc)s, set %(missing)s first.'))
ReworkOrderClosed = _error(
    'rework_order_closed', _('Manufacturing order %(mo)s is %(state)s: a rework work order cannot '
    'be added to it. Rework the pieces on a new manufacturing order.'))

# -- the execution fold (services/execution.py): waiting, held for review, refused -------------
WaitsForPartner = _error(
    'waits_for_partner', _('The %(type)s at %(at)s UTC has no %(partner)s before it yet; another '
    'terminal may still be sending it. It waits until %(until)s UTC, then goes to the '
    'dead-letter queue.'))
HeldQuantity = _error(
    'held_quantity', _('A %(type)s of %(qty)s is more than this operation still needs '
    '(%(remaining)s) plus the tolerance (%(extra)s). It is held for a supervisor to approve, '
    'correct or discard.'))
HeldIntervalTooLong = _error(
    'held_interval_too_long', _('The time of %(employee)s from %(start)s to %(end)s UTC lasts '
    '%(hours)s h, longer than the maximum shift (%(max_hours)s h). It is held for a supervisor '
    'to approve, correct the time or discard.'))
HeldTooOld = _error(
    'held_too_old', _('The event time %(at)s UTC is %(days)s days before the server received it '
    '(%(received)s UTC); the limit is %(max_days)s days. It is held for a supervisor to '
    'approve, correct or discard.'))
HeldWithPartner = _error(
    'held_with_partner', _('Its %(partner)s (event %(partner_id)s) is held for review; this '
    '%(type)s is held with it until a supervisor decides.'))
TimeBefore2000 = _error(
    'time_before_2000', _('After clock correction the event time is %(at)s UTC, before '
    '2000-01-01: the terminal clock is wrong. Set the clock, or have a supervisor correct the '
    'event\'s time.'))
EventSuperseded = _error(
    'event_superseded', _('Event %(id)s was corrected by event %(by)s; the correction counts '
    'instead.'))

# -- an operator takes an entry back from the tablet (contract event undo, services/execution.py)
UndoTargetUnknown = _error(
    'undo_target_unknown', _('Nothing to take back: event %(entry)s is not on this work order. The '
    'entry stands as the server has it.'))
UndoNotAQuantity = _error(
    'undo_not_a_quantity', _('Event %(entry)s is a %(type)s: only good parts and components used can '
    'be taken back from the tablet. A supervisor corrects the rest.'))
UndoOtherSender = _error(
    'undo_other_sender', _('Event %(entry)s was entered by another operator or on another terminal: '
    'only its own operator, on the same terminal, can take it back. A supervisor can correct it.'))
UndoTooLate = _error(
    'undo_too_late', _('Event %(entry)s of %(at)s UTC can be taken back for %(minutes)s minutes only; '
    'it stands. A supervisor can correct it.'))
UndoRepeated = _error(
    'undo_repeated', _('Event %(entry)s was already taken back (event %(taken_by)s).'))

# -- a supervisor's correction of a labor log (server-side event labor_correction) -------------
LaborLogUnknown = _error(
    'labor_log_unknown', _('Labor log %(id)s does not exist or is not %(employee)s\'s time on work '
    'order %(wo)s. Open the labor log again and correct it from there.'))
CorrectionReasonMissing = _error(
    'correction_reason_missing', _('Say why the time is corrected: the reason is kept with the '
    'correction in the work order\'s history.'))
StopBeforeStart = _error(
    'stop_before_start', _('The corrected stop %(stop)s UTC is not after the start %(start)s UTC. '
    'Enter a stop after the start.'))
LaborOverlap = _error(
    'labor_overlap', _('The corrected time of %(employee)s on %(wo)s, %(start)s to %(stop)s UTC, '
    'overlaps their time from %(other_start)s to %(other_stop)s UTC. Choose times that do not '
    'overlap, or correct that interval first.'))
CorrectionUnchanged = _error(
    'correction_unchanged', _('The labor log already runs from %(start)s to %(stop)s UTC: there is '
    'nothing to correct.'))

# -- words that fill the templates' parameters: event types, reason kinds, work order states.
# Marked so that a message's parameter is translated with it ("ein Ausschuss", not "ein scrap").
PARAMETER_WORDS = (
    _('start'), _('stop'), _('produce'), _('scrap'), _('consume'), _('downtime_start'), _('downtime_end'),
    _('check'), _('finish'), _('downtime'), _('pending'), _('ready'), _('progress'), _('done'), _('cancel'),
    _('maintenance_request'), _('undo'),
)
