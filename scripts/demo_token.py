"""Issue a fresh token for the demo Saw tablet over XML-RPC, as a supervisor would."""
import sys
import xmlrpc.client

url, db = sys.argv[1], sys.argv[2]
uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(db, 'supervisor', 'supervisor', {})
models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object', allow_none=True)
terminal = models.execute_kw(db, uid, 'supervisor', 'mes.terminal', 'search', [[('name', '=', 'Saw tablet')]],
                             {'limit': 1})
print(models.execute_kw(db, uid, 'supervisor', 'mes.terminal', 'issue_token', [terminal]))
