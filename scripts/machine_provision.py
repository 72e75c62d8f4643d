#!/usr/bin/env python3
"""Give machines their terminals and the bridge its machines file, over XML-RPC as a supervisor.

For each ``<work center code>/<machine>`` given: a ``mes.terminal`` of kind machine named after
the machine (created when missing) bound to that work center, and a fresh token (the previous
one stops working). Writes the bridge's machines file (mode 600: it holds the tokens).

  .local/venv/bin/python scripts/machine_provision.py http://127.0.0.1:8069 mes_demo \\
      SAW/SAW-1 CNC/CNC-1 ASM/ASM-1 PNT/PNT-1 --out .local/mqtt/machines.json
"""
import argparse
import json
import os
import sys
import xmlrpc.client


def provision(url, db, specs, login='supervisor', password='supervisor'):
    uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(db, login, password, {})
    if not uid:
        raise SystemExit('cannot log in to %s as %s' % (db, login))
    models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object', allow_none=True)

    def call(model, method, *args, **kw):
        return models.execute_kw(db, uid, password, model, method, list(args), kw)

    machines = []
    for spec in specs:
        wc_code, _sep, machine = spec.partition('/')
        workcenter = call('mrp.workcenter', 'search', [('code', '=', wc_code)], limit=1)
        if not workcenter or not machine:
            raise SystemExit('no work center has code %r (or no machine in %r)' % (wc_code, spec))
        terminal = call('mes.terminal', 'search', [('machine_code', '=', machine)], limit=1)
        if not terminal:
            terminal = [call('mes.terminal', 'create', {
                'name': 'Machine %s' % machine, 'kind': 'machine', 'machine_code': machine,
                'workcenter_ids': [(6, 0, workcenter)]})]
        machines.append({'workcenter': wc_code, 'machine': machine, 'workcenter_id': workcenter[0],
                         'terminal_id': terminal[0], 'token': call('mes.terminal', 'issue_token', terminal)})
    return machines


def write(machines, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as out:
        json.dump(machines, out, indent=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('url')
    parser.add_argument('db')
    parser.add_argument('machines', nargs='+', help='<work center code>/<machine>')
    parser.add_argument('--out', required=True)
    parser.add_argument('--login', default='supervisor')
    parser.add_argument('--password', default='supervisor')
    args = parser.parse_args(argv)
    write(provision(args.url, args.db, args.machines, args.login, args.password), args.out)
    print('%d machine terminals, tokens in %s' % (len(args.machines), args.out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
