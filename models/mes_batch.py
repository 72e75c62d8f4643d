class MesBatch:
    """Work that follows from a batch of terminal events, done once per work order and order at
    the end of the batch instead of once per event: rebuilding run time from the operators'
    intervals, absorbing closed time into WIP, refreshing the cost sheet. It still runs in the
    request's transaction, so the ledger is never behind what the terminal was told.

    Carried in the environment's context as ``mes_batch``.
    """

    def __init__(self):
        self.workorders = set()
        self.labor_closed = set()   # work orders whose closed labor intervals changed
        self.productions = set()
        self.produced = {}      # (work order id, last event id) -> good quantity to move
        self.causes = []        # the events applied, named on the entries the batch posts

    def flush(self, env):
        env = env(context=dict(env.context, mes_batch=None))
        totals, last_event = {}, {}
        for (workorder_id, event_id), qty in self.produced.items():
            totals[workorder_id] = totals.get(workorder_id, 0.0) + qty
            last_event[workorder_id] = max(event_id, last_event.get(workorder_id, 0))
        for workorder_id in sorted(totals):
            wo = env['mrp.workorder'].sudo().browse(workorder_id)
            wo._mes_move_produced(totals[workorder_id], None, env['mes.event'].sudo().browse(last_event[workorder_id]))
            self.productions.add(wo.production_id.id)
        workorders = env['mrp.workorder'].sudo().browse(sorted(self.workorders)).exists()
        productions = env['mrp.production'].sudo().browse(sorted(self.productions)).exists() \
            | workorders._mes_sync_run_time(self.labor_closed)
        productions._mes_post_conversion(cause='; '.join(self.causes))
        self.workorders.clear()
        self.labor_closed.clear()
        self.productions.clear()
        self.produced.clear()
        del self.causes[:]
