"""The posting jobs really run beside the floor: queue_job's runner inside the live server.

The live server (tests/conftest.py) runs with the generated configuration: queue_job loaded
server-wide, the ``[queue_job]`` channels, prefork workers, a random HTTP port that the runner
calls back on. Enqueueing goes through a server action made by the administrator, because
``_enqueue_posting`` is private (no login may call it over RPC).
"""
import time

JOB_TIMEOUT = 60


def enqueue_posting_twice(server, floor):
    """Give the fixture's work order its execution row (the terminal path does that once it
    records events) and ask twice for its order's posting, in one transaction."""
    model_id = server.rpc('ir.model', 'search', [('model', '=', 'mes.execution')])[0]
    code = "\n".join([
        "execution = env['mes.execution'].search([('workorder_id', '=', %d)])" % floor.workorder_id,
        "execution = execution or env['mes.execution'].create({'workorder_id': %d, 'production_id': %d})"
        % (floor.workorder_id, floor.production_id),
        "execution._enqueue_posting()",
        "execution._enqueue_posting()",
        "action = False",  # run() answers the value of `action`; None cannot go over XML-RPC
    ])
    action_id = server.rpc('ir.actions.server', 'create', {
        'name': 'Enqueue posting %s' % floor.tag, 'model_id': model_id, 'state': 'code', 'code': code})
    server.rpc('ir.actions.server', 'run', [action_id])


def test_a_posting_job_runs_in_the_live_server_one_per_order(floor):
    server = floor.server
    name = server.rpc('mrp.production', 'read', [floor.production_id], ['name'])[0]['name']
    enqueue_posting_twice(server, floor)
    domain = [('model_name', '=', 'mes.execution'), ('method_name', '=', '_job_post'),
              ('name', '=', 'MES posting of %s' % name)]
    fields = ['state', 'channel', 'result', 'exc_info', 'identity_key']
    jobs = server.rpc('queue.job', 'search_read', domain, fields=fields)
    assert len(jobs) == 1, 'a burst for one order queues one job: %s' % jobs
    assert jobs[0]['channel'] == 'root.mes_posting' and jobs[0]['identity_key']
    deadline = time.time() + JOB_TIMEOUT
    while jobs[0]['state'] not in ('done', 'failed') and time.time() < deadline:
        time.sleep(0.5)
        jobs = server.rpc('queue.job', 'search_read', domain, fields=fields)
    job = jobs[0]
    assert job['state'] == 'done', 'the runner did not run the job in %d s (state %s, %s); see %s' % (
        JOB_TIMEOUT, job['state'], job['exc_info'], server.log_path)
    assert job['result'] == 'posted 1 execution(s) of manufacturing order %d' % floor.production_id
