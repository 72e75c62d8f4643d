"""The record stage: a terminal's batch stored, judged and folded in one short transaction.

1. store every event set-based (one INSERT, ``ON CONFLICT`` on the event id: a repeat is a
   duplicate, another fact under a taken id a conflict);
2. judge what needs Odoo's data but not the order of events (work order, terminal binding,
   employee, reason, component, lot, quality gate): refused events are dead at once;
3. lock the touched work orders' execution rows in id order, fold each one's events in true
   time (``services.execution``), write the verdicts that changed and the state;
4. bring Odoo's own records up to the recorded state (``mes.execution._post``).
"""
import json

from odoo import api, fields, models

from ...services import contract, errors, event_types, execution, ordering
from ...services import raw_event

# The answer a fold verdict gives the terminal (v1 knows applied, duplicate, rejected).
ANSWER = {execution.APPLIED: 'applied', execution.WAITING: 'applied', execution.HELD: 'rejected',
          execution.DEAD: 'rejected', execution.SUPERSEDED: 'rejected'}
OUTCOME = dict(ANSWER, discarded='rejected', received='rejected')
# a kept clock sample stays as it was (``ordering.request_offset``)
TERMINAL_SEEN = """seen AS (UPDATE mes_terminal SET last_seen_at = %(seen_at)s,
                                    clock_offset_ms = CASE WHEN %(seen_sampled)s THEN %(seen_offset)s
                                                           ELSE clock_offset_ms END,
                                    clock_offset_at = CASE WHEN %(seen_sampled)s THEN %(seen_at)s
                                                           ELSE clock_offset_at END
                             WHERE id = %(seen_terminal)s)"""


class MesEventRecord(models.Model):
    _inherit = 'mes.event'

    folded = fields.Boolean(readonly=True,
                            help='Passed the checks that need no history; takes part in its work order\'s fold.')
    data_json = fields.Text('Data (parsed)', readonly=True)
    blocked_by_uid = fields.Char('Made impossible by', readonly=True,
                                 help='The event whose place in history refuses this one, or the partner it waits for.')
    corrects_uid = fields.Char('Corrects event', readonly=True, index=True)
    approved = fields.Boolean('Approved by a supervisor', readonly=True)

    @api.model
    def _ingest(self, terminal, raw_events, sent_at, received_at=None):
        """Record a batch and bring Odoo's records up to it in the same transaction (tests,
        scripts); the API records in one transaction and posts in another."""
        results, executions = self._record_batch(terminal, raw_events, sent_at, received_at)
        executions._post()
        return results

    @api.model
    def _record_batch(self, terminal, raw_events, sent_at, received_at=None, enqueue=False, clock=None):
        """The record stage for a batch from ``terminal``: one result per event in request
        order, and the execution rows whose state changed (to post; with ``enqueue``, their
        posting jobs are queued here). Touches the MES's own tables only. Run it in a READ
        COMMITTED transaction: terminals on one work order then wait for each other's lock
        instead of failing. ``clock`` (an ``ordering.ClockSample``): the offset to correct the
        times by, when the caller has it (``terminal._mes_clock``)."""
        received_at = received_at or fields.Datetime.from_string(fields.Datetime.now())
        clock = clock or terminal._mes_clock(sent_at, received_at)
        offset = clock.offset
        results = [None] * len(raw_events)
        # parsed before they are stored (parsing is pure; every event is stored all the same), so
        # that Odoo's data the batch needs comes back with the insert, in the same statement
        parsed = raw_event.parse_all(raw_events)
        fresh, looked_up = self._store_batch(terminal, raw_events, offset, received_at, results,
                                             lookup=_lookup_params(terminal, parsed.values()))
        facts = {}
        judged = self._judge_static(terminal, fresh, facts, parsed=parsed, looked_up=looked_up)
        Execution = self.env['mes.execution'].sudo()
        # only the types whose description has the quality gate (a check, a produce, a finish)
        # have to do with quality: a batch of starts and stops pays no query for it
        quality = {row_id for _index, row_id, raw, _offset in fresh
                   if row_id in judged and event_types.TYPES[raw['type']].quality_gate}
        with_checks = any(raw.get('type') == 'check' for _index, row_id, raw, _offset in fresh if row_id in quality)
        if not with_checks and not facts.get('quality_points', True):
            quality = ()   # no point: nothing to gate, no check to record
        # A batch the quality pass reads folds its orders from the start: a resumed walk there
        # once left a check scheduled beside the one the operator took (tests/browser
        # test_server_stopped_halfway, not reproduced on demand; a likely cause, found at stop 30:
        # a batch that waited in the restarting server's queue was corrected by the wait and
        # landed after its tablet's later events; ``ordering.request_offset`` now keeps it out).
        # The verdicts and states are written before the answer reads them. (Writing them, the
        # posting jobs and the answer in one statement cut two statements per request, but the
        # kill -9 fault test then posted other labor costs than the clean run, FAULT_SEED=226529;
        # not understood yet, so not done.)
        executions = Execution._record(judged, received_at, resume=not quality)
        gated = self._quality_pass({row_id: judged[row_id] for row_id in quality}, with_checks) if quality else {}
        if gated:
            executions |= Execution._record(gated, received_at)
        # the posting jobs are queued in the statement that answers
        self._answer(fresh, results, (received_at, ordering.offset_ms(offset), terminal.id, clock.sampled),
                     enqueue=executions if enqueue else None)
        return results, executions

    # -- 1. store ------------------------------------------------------------------------------
    @api.model
    def _store_batch(self, terminal, raw_events, offset, received_at, results, lookup=None):
        """Insert the batch; answer repeats and conflicts into ``results``. Returns the fresh
        rows as (request index, row id, raw event, clock offset); with ``lookup`` (the
        parameters of ``LOOKUP_SQL``), also that statement's row, read in the insert's statement
        (None when nothing was inserted)."""
        dumps = [raw_event.dump(raw) for raw in raw_events]
        uids = [contract.raw_event_id(raw) for raw in raw_events]
        first_index = {}
        for index, uid in enumerate(uids):
            if uid is not None:
                first_index.setdefault(uid, index)
        columns = {name: [] for name in ('event_uid', 'raw', 'type', 'seq', 'workorder_ref', 'employee_badge',
                                         'terminal_at', 'corrected_at')}
        keyed = [index for uid, index in first_index.items()]
        for index in keyed:
            raw = raw_events[index]
            best = raw_event.best_effort_fields(raw, offset) if isinstance(raw, dict) else {}
            columns['event_uid'].append(uids[index])
            columns['raw'].append(dumps[index])
            for name in ('type', 'seq', 'workorder_ref', 'employee_badge', 'terminal_at', 'corrected_at'):
                columns[name].append(best.get(name))
        inserted, looked_up = {}, None
        if keyed:
            params = dict(columns, terminal_id=terminal.id, received_at=received_at, uid=self.env.uid,
                          offset_ms=ordering.offset_ms(offset))
            self.env.cr.execute("""
                WITH inserted AS (
                    INSERT INTO mes_event (event_uid, raw, type, seq, workorder_ref, employee_badge, terminal_at,
                                           corrected_at, terminal_id, received_at, clock_offset_ms, state,
                                           repeat_count, retry_count, create_uid, write_uid, create_date, write_date)
                    SELECT u.*, %(terminal_id)s, %(received_at)s, %(offset_ms)s, 'received', 0, 0, %(uid)s, %(uid)s,
                           now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM unnest(%(event_uid)s::varchar[], %(raw)s::text[], %(type)s::varchar[], %(seq)s::int[],
                                  %(workorder_ref)s::int[], %(employee_badge)s::varchar[],
                                  %(terminal_at)s::timestamp[], %(corrected_at)s::timestamp[]) AS u
                    ON CONFLICT (event_uid) WHERE event_uid IS NOT NULL DO NOTHING
                    RETURNING id, event_uid)
                SELECT (SELECT coalesce(json_agg(json_build_array(id, event_uid)), '[]') FROM inserted), lookup.*
                  FROM (""" + (LOOKUP_SQL if lookup else 'SELECT 1') + """) lookup""", dict(lookup or {}, **params))
            row = self.env.cr.fetchone()
            inserted = {uid: row_id for row_id, uid in row[0]}
            looked_up = row[1:] if lookup and inserted else None
        fresh = [(first_index[uid], row_id, raw_events[first_index[uid]], offset) for uid, row_id in inserted.items()]
        for index, raw in enumerate(raw_events):
            if uids[index] is None:
                # no usable id: kept all the same (the parse below says what is missing)
                event = self._store(terminal, raw, None, offset, received_at)
                fresh.append((index, event.id, raw, offset))
        repeats = [index for index, uid in enumerate(uids)
                   if uid is not None and not (first_index[uid] == index and uid in inserted)]
        if repeats:
            self._answer_repeats(terminal, raw_events, dumps, uids, repeats, offset, received_at, results)
        self.invalidate_cache()
        if lookup is None:
            return sorted(fresh)
        return sorted(fresh), looked_up

    @api.model
    def _answer_repeats(self, terminal, raw_events, dumps, uids, repeats, offset, received_at, results):
        """A repeated id: the same fact is a duplicate (counted); another fact is a conflict."""
        Event = self.sudo()
        known = {e.event_uid: e for e in Event.search([('event_uid', 'in', list({uids[i] for i in repeats}))])}
        same = []
        for index in repeats:
            first = known[uids[index]]
            if first.raw == dumps[index]:
                same.append(index)
                results[index] = first.id   # answered with its first's outcome, once this batch is judged
            else:
                results[index] = self._store_conflict(terminal, raw_events[index], first, offset, received_at)
        if same:
            self.env.cr.execute("""UPDATE mes_event SET repeat_count = repeat_count + n, last_repeat_at = %s
                                   FROM (SELECT uid, count(*) AS n FROM unnest(%s::varchar[]) AS uid GROUP BY uid) r
                                   WHERE mes_event.event_uid = r.uid""",
                                (received_at, [uids[i] for i in same]))

    # -- 2. what needs Odoo's data but no history ------------------------------------------------
    @api.model
    def _judge_static(self, terminal, fresh, facts=None, parsed=None, looked_up=None):
        """Parse and check each fresh (index, row id, raw, clock offset); refused ones are dead
        at once. Returns {row id: work order} for the events that go on to the fold; ``facts``
        (a dict) gets ``quality_points``: whether any active quality point exists. ``parsed``
        ({request index: event or its MesError}, ``raw_event.parse_all``) and ``looked_up`` (the row of
        ``LOOKUP_SQL``) when the caller has them already."""
        parsed_by_index = parsed
        if parsed_by_index is None:
            parsed_by_index = raw_event.parse_all([raw for _i, _r, raw, _o in fresh],
                                                  [index for index, _r, _raw, _o in fresh])
        parsed, offsets, refused = {}, {}, {}
        for index, row_id, raw, offset in fresh:
            offsets[row_id] = offset
            outcome = parsed_by_index[index]
            if isinstance(outcome, errors.MesError):
                refused[row_id] = (outcome, {})
            else:
                parsed[row_id] = outcome
        lookup = _Lookup(self.env, terminal, parsed.values(), looked_up)
        if facts is not None:
            facts['quality_points'] = lookup.quality_points
        judged, links = {}, {}
        for row_id, event in parsed.items():
            at = ordering.corrected_time(event.at, offsets[row_id])
            wo, employee = lookup.workorder(event.workorder_id), lookup.employee(event.employee)
            links[row_id] = {'workorder_id': wo.id or None,
                             'workcenter_id': lookup.workorder_facts[wo.id][0] if wo else None,
                             'employee_id': employee.id or None, 'qty': event.data.get('qty') or 0.0,
                             'corrected_at': at, 'data_json': json.dumps(event.data, sort_keys=True),
                             # an operator's undo names its target: the fold supersedes it (or refuses the undo)
                             'corrects_uid': event.data['event'] if event.type == 'undo' else None}
            try:
                lookup.check(event, wo, employee)
            except errors.MesError as exc:
                refused[row_id] = (exc, links[row_id])
                continue
            judged[row_id] = wo
        self._write_static(links, refused, judged)
        return judged

    @api.model
    def _quality_pass(self, judged, with_checks=True):
        """The quality of the batch's applied events, in true time: a check lands in the MES's
        quality records at once, and the gate of a produce or finish after it reads them. A
        produce or finish that a blocking check holds is refused (``quality_check_blocking``)
        and leaves its work order's fold; returns {event row id: work order} to fold again."""
        # the active points read once for the batch: a work order no point applies to has no
        # check to schedule and nothing to hold it (the same rule as _for_workorder)
        points = self.env['mes.quality.point'].sudo().search([])
        if not points and not with_checks:
            return {}   # no gate, and no check to record (an archived point's still is)
        events = self.sudo().browse(list(judged)).filtered(lambda e: e.state == 'applied')
        refused, refold = {}, {}
        gated = {wo.id for wo in judged.values() if any(point._applies_to(wo) for point in points)}
        for event in events.sorted(lambda e: (e.corrected_at, e.seq or 0, e.id)):
            wo = judged[event.id]
            if event.type in ('produce', 'finish') and wo.id not in gated:
                continue
            if event.type == 'check':
                data = json.loads(event.data_json)
                point = self.env['mes.quality.point'].sudo().browse(data['point_id'])
                self.env['mes.quality.check'].sudo()._record_from_event(
                    event, point, wo, event.employee_id, fields.Datetime.from_string(event.corrected_at), data)
            elif event.type in ('produce', 'finish'):
                try:
                    with self.env.cr.savepoint():   # a refused gate leaves no check it scheduled
                        wo._mes_quality_gate(event.type)
                except errors.MesError as exc:
                    refused[event.id] = (exc, {})
                    refold[event.id] = wo
        if refused:
            self._write_static({}, refused, {})
        return refold

    @api.model
    def _write_static(self, links, refused, judged):
        rows = []
        for row_id, values in links.items():
            exc = refused.get(row_id, (None,))[0]
            rows.append((row_id, values, exc))
        for row_id, (exc, values) in refused.items():
            if row_id not in links:
                rows.append((row_id, {}, exc))
        if not rows:
            return
        self.env.cr.execute("""
            UPDATE mes_event e SET workorder_id = COALESCE(v.wo, e.workorder_id),
                   workcenter_id = COALESCE(v.wc, e.workcenter_id), employee_id = COALESCE(v.emp, e.employee_id),
                   qty = COALESCE(v.qty, e.qty), corrected_at = COALESCE(v.at, e.corrected_at),
                   data_json = COALESCE(v.data, e.data_json), corrects_uid = COALESCE(v.corrects, e.corrects_uid),
                   folded = v.folded,
                   state = CASE WHEN v.folded THEN e.state ELSE 'dead' END, error_code = v.code,
                   error_message = v.message
              FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::float8[], %s::timestamp[], %s::text[],
                          %s::bool[], %s::varchar[], %s::text[], %s::varchar[])
                   AS v(id, wo, wc, emp, qty, at, data, folded, code, message, corrects)
             WHERE e.id = v.id""", (
            [r[0] for r in rows], [r[1].get('workorder_id') for r in rows], [r[1].get('workcenter_id') for r in rows],
            [r[1].get('employee_id') for r in rows], [r[1].get('qty') for r in rows],
            [r[1].get('corrected_at') for r in rows], [r[1].get('data_json') for r in rows],
            [r[0] in judged for r in rows], [r[2].code if r[2] else None for r in rows],
            [raw_event.storable_message(r[2]) if r[2] else None for r in rows],
            [r[1].get('corrects_uid') for r in rows]))

    # -- the answer ------------------------------------------------------------------------------
    @api.model
    def _answer(self, fresh, results, seen, enqueue=None):
        """Each event's answer from its stored verdict; in the same statement, the terminal's
        ``seen`` = (last seen at, clock offset in ms, terminal id, whether the offset is a new
        sample) and, for the executions
        ``enqueue`` names, their posting jobs (``_enqueue_posting``)."""
        duplicates = [(index, first_id) for index, first_id in enumerate(results) if isinstance(first_id, int)]
        ids = [item[1] for item in fresh] + [first_id for _index, first_id in duplicates]
        params = dict(seen_at=seen[0], seen_offset=seen[1], seen_terminal=seen[2], seen_sampled=seen[3], ids=ids)
        ctes = TERMINAL_SEEN
        if enqueue:
            ctes += ', queued AS (%s)' % enqueue._enqueue_sql()
            params.update(enqueue._enqueue_params())
        if not ids:
            self.env.cr.execute('WITH ' + ctes + ' SELECT 1', params)
            return
        self.env.cr.execute('WITH ' + ctes + """
                             SELECT id, coalesce(event_uid, conflict_uid), state, error_code, error_message,
                                    blocked_by_uid FROM mes_event WHERE id = ANY(%(ids)s)""", params)
        rows = {r[0]: r for r in self.env.cr.fetchall()}
        for index, row_id, _raw, _offset in fresh:
            _id, uid, state, code, message, by = rows[row_id]
            result = {'id': uid, 'status': OUTCOME[state]}
            if state == execution.WAITING:
                result['waiting'] = {'for': by, 'code': code, 'message': message}
            elif result['status'] == 'rejected':
                result['error'] = {'code': code, 'message': message}
                if state == execution.HELD:
                    result['held'] = True
                if by:
                    result['error']['by'] = by
            results[index] = result
        for index, first_id in duplicates:
            _id, uid, state, code, message, _by = rows[first_id]
            results[index] = {'id': uid, 'status': 'duplicate', 'outcome': OUTCOME[state]}
            if OUTCOME[state] == 'rejected':
                results[index]['error'] = {'code': code, 'message': message}


# What a batch needs of Odoo's data, in one statement: the terminal's work centers; per work
# order its work center, state and the product it makes (with its tracking); per badge the
# active employee, whether a wrong-PIN lock holds it now and where it may work; the reasons;
# whether any quality point is active (none: no produce is gated); the terminal's kind and machine.
LOOKUP_SQL = """
SELECT (SELECT coalesce(array_agg(r.workcenter_id), '{}') FROM mes_terminal_workcenter_rel r
         WHERE r.terminal_id = %(terminal)s),
       (SELECT coalesce(json_agg(json_build_array(wo.id, wo.workcenter_id, wo.state, mo.product_id, t.tracking)), '[]')
          FROM mrp_workorder wo
          JOIN mrp_production mo ON mo.id = wo.production_id
          JOIN product_product p ON p.id = mo.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE wo.id = ANY(%(workorders)s)),
       (SELECT coalesce(json_agg(json_build_array(
                   e.id, e.barcode, e.mes_locked_until > (now() at time zone 'UTC'), e.mes_locked_until,
                   (SELECT array_agg(q.workcenter_id) FROM mes_employee_workcenter_rel q WHERE q.employee_id = e.id))),
               '[]')
          FROM hr_employee e WHERE e.barcode = ANY(%(badges)s) AND e.active),
       (SELECT coalesce(json_agg(json_build_array(r.code, r.kind)), '[]')
          FROM mes_reason r WHERE r.code = ANY(%(codes)s) AND r.active AND NOT coalesce(r.is_category, false)),
       EXISTS (SELECT 1 FROM mes_quality_point qp WHERE qp.active),
       (SELECT json_build_array(t.kind, t.machine_code) FROM mes_terminal t WHERE t.id = %(terminal)s)
"""


class _Lookup:
    """Odoo's data a batch needs, read once for all its events (``LOOKUP_SQL``). Work orders and
    employees are records too, read by the ORM only for a refusal's names."""

    def __init__(self, env, terminal, events, row=None):
        sudo = env['mes.event'].sudo().env
        self.env, self.terminal = sudo, terminal
        if row is None:
            env.cr.execute(LOOKUP_SQL, _lookup_params(terminal, events))
            row = env.cr.fetchone()
        workcenters, workorders, employees, reasons, self.quality_points, (self.kind, self.machine_code) = row
        self.workcenters = set(workcenters)
        records = sudo['mrp.workorder'].browse([row[0] for row in workorders])
        self.workorders = {wo.id: wo for wo in records}
        # id: (work center, state, product made, its tracking)
        self.workorder_facts = {row[0]: tuple(row[1:]) for row in workorders}
        people = sudo['hr.employee'].browse([row[0] for row in employees])
        by_id = {e.id: e for e in people}
        self.employees = {row[1]: by_id[row[0]] for row in employees}
        # id: (locked now, locked until)
        self.locks = {row[0]: (row[2], row[3]) for row in employees}
        self.qualified = {row[0]: set(row[4]) for row in employees if row[4]}
        self.reasons = {(code, kind) for code, kind in reasons}

    def workorder(self, workorder_id):
        return self.workorders.get(workorder_id) or self.env['mrp.workorder']

    def employee(self, badge):
        return self.employees.get(badge) or self.env['hr.employee']

    def check(self, event, wo, employee):
        """Raise the coded refusal of what the event names, if any."""
        if not wo:
            raise errors.WorkorderUnknown(id=event.workorder_id)
        workcenter_id, state, _product_id, _tracking = self.workorder_facts[wo.id]
        if workcenter_id not in self.workcenters:
            raise errors.WorkcenterNotOnTerminal(wo=wo.name, wc=wo.workcenter_id.name)
        described = event_types.TYPES[event.type]   # what its description asks of Odoo's data
        if described.sent_by == 'machine' or self.kind == 'machine':
            self._check_machine(event)   # a machine names itself, not an operator
        else:
            self._check_operator(event, employee, workcenter_id, wo)
        if state == 'cancel':
            raise errors.WorkorderCancelled(wo=workorder_name(wo))
        kind = described.reason_kind
        if kind and (event.data['reason'], kind) not in self.reasons:
            raise errors.ReasonUnknown(kind=kind, code=event.data['reason'])
        getattr(self, '_check_' + event.type, lambda *a: None)(event, wo)

    def _check_operator(self, event, employee, workcenter_id, wo):
        if not employee:
            raise errors.EmployeeUnknown(badge=event.employee)
        locked, until = self.locks[employee.id]
        if locked:
            # a locked badge reports nothing, on any terminal, until the lock ends or a
            # supervisor unlocks it (then the event can be retried from the dead-letter queue)
            raise errors.EmployeeLocked(until=employee.mes_locked_until or until)
        qualified = self.qualified.get(employee.id)   # none listed: qualified everywhere
        if qualified and workcenter_id not in qualified:
            raise errors.EmployeeNotAllowed(employee=employee.name, wc=wo.workcenter_id.name)

    def _check_machine(self, event):
        """Machine events come from the machine's own terminal, naming that machine."""
        if self.kind != 'machine':
            raise errors.MachineEventFromTablet(type=event.type)
        if event_types.TYPES[event.type].sent_by != 'machine':
            raise errors.TypeUnknown(type=event.type, known=', '.join(event_types.names(sent_by='machine')))
        if event.employee != self.machine_code:
            raise errors.MachineUnknown(machine=self.machine_code, employee=event.employee)

    def _check_produce(self, event, wo):
        _workcenter_id, _state, product_id, tracking = self.workorder_facts[wo.id]
        if tracking != 'none' and not event.data.get('lot'):
            raise errors.LotRequired(product=self.env['product.product'].browse(product_id).display_name,
                                     type='produce')
        if tracking == 'serial' and event.data['qty'] != 1:
            raise errors.FieldInvalid(field='data.qty', problem='must be 1 for a serial-tracked product: '
                                      'report one serial number per produce event')

    def _check_scrap(self, event, wo):
        product_id = event.data.get('product_id')
        if product_id and product_id != wo.production_id.product_id.id:
            self.component(wo, product_id)

    def _check_consume(self, event, wo):
        self._check_lot(self.component(wo, event.data['product_id']), event, 'consume')

    def _check_check(self, event, wo):
        point = self.env['mes.quality.point'].browse(event.data['point_id']).exists()
        if not point or not point._applies_to(wo):
            raise errors.CheckPointUnknown(id=event.data['point_id'], wo=workorder_name(wo))
        if point.kind == 'measure' and event.data.get('value') is None:
            raise errors.CheckValueMissing(point=point.name, unit=point.unit or 'its unit')

    def _check_lot(self, product, event, etype):
        if product.tracking != 'none' and not event.data.get('lot'):
            raise errors.LotRequired(product=product.display_name, type=etype)

    def component(self, wo, product_id):
        product = self.env['product.product'].browse(product_id).exists()
        if not product:
            raise errors.ProductUnknown(id=product_id)
        if product not in wo.production_id.move_raw_ids.mapped('product_id'):
            raise errors.ComponentNotOnOrder(product=product.display_name, mo=wo.production_id.name)
        return product


def _lookup_params(terminal, parsed):
    """The parameters of ``LOOKUP_SQL`` for the parsed events among ``parsed``."""
    events = [e for e in parsed if not isinstance(e, errors.MesError)]
    return {'terminal': terminal.id, 'workorders': list({e.workorder_id for e in events}),
            'badges': list({e.employee for e in events}),
            'codes': list({e.data.get('reason') for e in events if e.data.get('reason')})}


def workorder_name(wo):
    return '%s (%s)' % (wo.name, wo.production_id.name)
