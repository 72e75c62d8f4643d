"""Let the terminal contract speak plain JSON on Odoo 11, even when the database is down.

Odoo 11 decides the request kind from the Content-Type alone: every ``application/json`` body
becomes a JSON-RPC request, which an ``http`` route refuses. The contract is plain JSON, so
requests under ``/mes/api/`` are dispatched as ordinary HTTP requests and parse their bodies
themselves. Later Odoo versions dispatch by the route's declared type and need none of this.

While PostgreSQL is unreachable, Odoo fails before any route runs (``setup_db`` lists the
databases) and werkzeug answers an HTML 500. A terminal must instead get the contract's
retryable ``503 service_unavailable`` so it keeps its queue and sends the same events again.
"""
import json
import logging

import psycopg2
import werkzeug.wrappers

from odoo import http

from ..services import errors

_logger = logging.getLogger(__name__)

MES_API_PREFIX = '/mes/api/'
_original_get_request = http.Root.get_request
_original_dispatch = http.Root.dispatch


def get_request(self, httprequest):
    if httprequest.path.startswith(MES_API_PREFIX):
        return http.HttpRequest(httprequest)
    return _original_get_request(self, httprequest)


def database_unavailable_response():
    body = {'error': errors.ServiceUnavailable(detail='database unavailable').as_dict()}
    return werkzeug.wrappers.Response(json.dumps(body), status=503, headers=[
        ('Content-Type', 'application/json; charset=utf-8'), ('Cache-Control', 'no-store'),
        ('Retry-After', '1'), ('X-Content-Type-Options', 'nosniff')])


def dispatch(self, environ, start_response):
    if not (environ.get('PATH_INFO') or '').startswith(MES_API_PREFIX):
        return _original_dispatch(self, environ, start_response)
    try:
        return _original_dispatch(self, environ, start_response)
    except psycopg2.Error as exc:
        _logger.warning('MES API: database unreachable before routing (%s), answered 503', exc)
        return database_unavailable_response()(environ, start_response)


if not getattr(http.Root.get_request, 'mes_plain_json', False):
    get_request.mes_plain_json = True
    http.Root.get_request = get_request
if not getattr(http.Root.dispatch, 'mes_plain_json', False):
    dispatch.mes_plain_json = True
    http.Root.dispatch = dispatch
