import os

from odoo import http

STATIC = os.path.join(os.path.dirname(os.path.dirname(__file__)), 'static', 'terminal')


class MesTerminalPage(http.Controller):
    """The tablet app: static files served under /mes/terminal so that its service worker's
    scope covers the whole app."""

    @http.route('/mes/terminal', type='http', auth='none', methods=['GET'], csrf=False)
    def terminal(self):
        with open(os.path.join(STATIC, 'index.html'), 'rb') as page:
            return http.Response(page.read(), headers=[
                ('Content-Type', 'text/html; charset=utf-8'), ('Cache-Control', 'no-cache'),
                ('X-Frame-Options', 'DENY'), ('X-Content-Type-Options', 'nosniff')])
