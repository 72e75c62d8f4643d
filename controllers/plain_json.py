"""Let the terminal contract speak plain JSON on Odoo 11.

Odoo 11 decides the request kind from the Content-Type alone: every ``application/json`` body
becomes a JSON-RPC request, which an ``http`` route refuses. The contract is plain JSON, so
requests under ``/mes/api/`` are dispatched as ordinary HTTP requests and parse their bodies
themselves. Later Odoo versions dispatch by the route's declared type and need none of this.
"""
from odoo import http

MES_API_PREFIX = '/mes/api/'
_original_get_request = http.Root.get_request


def get_request(self, httprequest):
    if httprequest.path.startswith(MES_API_PREFIX):
        return http.HttpRequest(httprequest)
    return _original_get_request(self, httprequest)


if not getattr(http.Root.get_request, 'mes_plain_json', False):
    get_request.mes_plain_json = True
    http.Root.get_request = get_request
