"""The operator terminal: a static web app (plain ES modules, no build step) served under
``/mes/terminal`` so that its service worker's scope covers the page and every asset.

The tablet's words are in ``i18n/<language>.json`` (one catalogue per language, read by
``js/i18n.js``), served and precached like the rest of the app.

``sw.js`` is served with the list of assets and a version made from their content, so any
change to the app installs a new service worker that caches the new files.
"""
import gzip
import hashlib
import json
import os

from odoo import http
from odoo.http import request

STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), 'static', 'terminal')
PREFIX = '/mes/terminal'
TYPES = {
    '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
    '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8',
}
# Only the app's own origin; no inline script. Inline styles are not used either.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'none'")
_shell_cache = {}


def _shell_files():
    """Relative paths of every file of the app shell except the service worker itself."""
    found = []
    for folder, _dirs, files in os.walk(STATIC):
        for name in files:
            path = os.path.relpath(os.path.join(folder, name), STATIC).replace(os.sep, '/')
            if path != 'sw.js' and os.path.splitext(name)[1] in TYPES and not name.startswith('.'):
                found.append(path)
    return sorted(found)


def _shell_version():
    """A hash of the app's files, recomputed only when a file's size or mtime changed."""
    files = _shell_files() + ['sw.js']
    stamp = tuple((f, os.stat(os.path.join(STATIC, f)).st_mtime_ns, os.path.getsize(os.path.join(STATIC, f)))
                  for f in files)
    if _shell_cache.get('stamp') != stamp:
        digest = hashlib.sha1()
        for name in files:
            digest.update(name.encode('utf-8'))
            with open(os.path.join(STATIC, name), 'rb') as handle:
                digest.update(handle.read())
        _shell_cache.update(stamp=stamp, version=digest.hexdigest()[:12], files=files[:-1])
    return _shell_cache['version'], _shell_cache['files']


_gzip_cache = {}


def _gzipped(digest, body):
    """The body gzipped, kept per content (the app's files change only at a deploy)."""
    if digest not in _gzip_cache:
        if len(_gzip_cache) > 200:
            _gzip_cache.clear()
        _gzip_cache[digest] = gzip.compress(body, 9)
    return _gzip_cache[digest]


def _respond(body, content_type, extra_headers=()):
    digest = hashlib.sha1(body).hexdigest()[:20]
    # text compressed for a client that accepts it: the cold load (the page, its modules and
    # the service worker's precache of them) is counted on the wire
    compress = (len(body) > 512 and not content_type.startswith('image/png')
                and 'gzip' in request.httprequest.headers.get('Accept-Encoding', ''))
    etag = '"%s%s"' % (digest, '-gz' if compress else '')
    headers = [('Content-Type', content_type), ('Cache-Control', 'no-cache'), ('ETag', etag),
               ('X-Content-Type-Options', 'nosniff'), ('Vary', 'Accept-Encoding')] + list(extra_headers)
    if compress:
        body = _gzipped(digest, body)
        headers.append(('Content-Encoding', 'gzip'))
    if etag in request.httprequest.headers.get('If-None-Match', ''):
        return http.Response(status=304, headers=[h for h in headers
                                                  if h[0] not in ('Content-Type', 'Content-Encoding')])
    return http.Response(body, headers=headers)


def _not_found():
    return http.Response('Not found', status=404, headers=[('Content-Type', 'text/plain; charset=utf-8')])


class MesTerminalPage(http.Controller):
    """The tablet app: static files served under /mes/terminal so that its service worker's
    scope covers the whole app."""

    @http.route(PREFIX, type='http', auth='none', methods=['GET'], csrf=False)
    def terminal(self):
        with open(os.path.join(STATIC, 'index.html'), 'rb') as page:
            return _respond(page.read(), TYPES['.html'], [
                ('X-Frame-Options', 'DENY'), ('Content-Security-Policy', CSP),
                ('Referrer-Policy', 'no-referrer')])

    @http.route(PREFIX + '/sw.js', type='http', auth='none', methods=['GET'], csrf=False)
    def service_worker(self):
        version, files = _shell_version()
        with open(os.path.join(STATIC, 'sw.js'), 'rb') as handle:
            text = handle.read().decode('utf-8')
        assets = [PREFIX] + ['%s/%s' % (PREFIX, name) for name in files if name != 'index.html']
        text = text.replace("'__VERSION__'", json.dumps(version)).replace("['__ASSETS__']", json.dumps(assets))
        # The worker lives at /mes/terminal/sw.js but controls /mes/terminal itself too.
        return _respond(text.encode('utf-8'), TYPES['.js'], [('Service-Worker-Allowed', PREFIX)])

    @http.route(PREFIX + '/<path:asset>', type='http', auth='none', methods=['GET'], csrf=False)
    def asset(self, asset):
        if asset not in _shell_version()[1] or asset == 'index.html':
            return _not_found()   # only the app's own files: no path walks out of the folder
        with open(os.path.join(STATIC, asset), 'rb') as handle:
            return _respond(handle.read(), TYPES[os.path.splitext(asset)[1]])
