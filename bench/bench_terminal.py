"""8. The operator terminal: bytes transferred for a cold load of /mes/terminal, and time to
first render in headless Chromium (Debian's chromium + chromedriver, driven by selenium).

Bytes are counted on the wire: Chromium talks to Odoo through a small counting proxy on
127.0.0.1, so everything the cold load fetches is counted, headers included: the page, its
style sheet, every ES module, the manifest and icon, the service worker and the app shell it
precaches at install (the same files again), and, for a paired terminal, its API calls. A cold
load is a fresh Chromium profile (empty HTTP cache, no service worker); the count stops when the
page has shown its first screen, the service worker is active, and nothing has moved for 2 s.
The module graph is also read from the HTML and the imports, as a cross-check.

Time to first render: from navigation start to the app's first screen (the <body> leaves its
'boot' state: a script added before the page's own records the moment), and first contentful
paint; 5 cold loads each as a new tablet (no token: the setup screen) and as a paired tablet
(token in storage: the login screen).

Targets: under 200 KB; first render under 1 s."""
import os
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from urllib.parse import urljoin

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

CHROMIUM = os.environ.get('MES_CHROMIUM') or '/usr/bin/chromium'
CHROMEDRIVER = os.environ.get('MES_CHROMEDRIVER') or '/usr/bin/chromedriver'
FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-default-browser-check', '--disable-features=Translate,MediaRouter', '--window-size=1280,800',
         '--lang=en-US']
RUNS = 5
TARGET_KB = 200.0
TARGET_MS = 1000.0
TOKEN_KEY = 'mes.terminal.token'   # static/terminal/js/api.js
# Records when the app leaves its boot screen; CDP adds it before the page's own scripts (the
# page's CSP does not apply to it).
FIRST_SCREEN_PROBE = """
(() => {
  const mark = () => {
    const body = document.body;
    if (body && body.dataset.screen && body.dataset.screen !== 'boot' && !window.__mesFirstScreen) {
      window.__mesFirstScreen = {screen: body.dataset.screen, at: performance.now()};
    }
  };
  new MutationObserver(mark).observe(document, {subtree: true, attributes: true, childList: true,
                                                attributeFilter: ['data-screen']});
})();
"""


class CountingProxy:
    """Forwards 127.0.0.1:port to the Odoo server and counts the bytes each way."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.down = self.up = 0
        self.last = time.time()
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self):
        with self.lock:
            self.down = self.up = 0
            self.last = time.time()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(('127.0.0.1', self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, 'up'), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, 'down'), daemon=True).start()

    def _pipe(self, source, sink, direction):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self.lock:
                    setattr(self, direction, getattr(self, direction) + len(data))
                    self.last = time.time()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def module_graph(base_url):
    """Every file the page references, read from the HTML, the CSS and the JS imports (and
    the manifest's icons): {url: bytes of body + headers}."""
    seen, todo = {}, [base_url + '/mes/terminal']
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = requests.get(url, timeout=30)
        if response.status_code != 200:
            raise RuntimeError('%s answered %s' % (url, response.status_code))
        header_bytes = len('HTTP/1.1 %d %s\r\n' % (response.status_code, response.reason)) + sum(
            len(k) + len(v) + 4 for k, v in response.headers.items()) + 2
        seen[url] = len(response.content) + header_bytes
        text = response.text if 'image' not in response.headers.get('Content-Type', '') else ''
        refs = re.findall(r'''(?:src|href)\s*=\s*["']([^"']+)["']''', text)
        refs += re.findall(r'''(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']''', text)
        refs += re.findall(r'''import\s*\(\s*["']([^"']+)["']\s*\)''', text)
        refs += re.findall(r'''^\s*import\s*["']([^"']+)["']''', text, re.M)
        refs += re.findall(r'''url\(\s*["']?([^"')]+)["']?\s*\)''', text)
        refs += re.findall(r'''"src"\s*:\s*"([^"]+)"''', text)
        for ref in refs:
            if ref.startswith('data:') or ref.startswith('#'):
                continue
            absolute = urljoin(url if not url.endswith('/mes/terminal') else url + '/', ref)
            if absolute.startswith(base_url):
                todo.append(absolute.split('#')[0])
    return seen


def start_browser(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + ['--user-data-dir=%s' % profile]:
        options.add_argument(flag)
    service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(B.LOGS, 'chromedriver.log'))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver


def cold_load(proxy, token=None):
    """One cold load in a new profile: (first screen ms, first contentful paint ms, screen,
    bytes down until the first screen, bytes down in all, bytes up in all)."""
    profile = tempfile.mkdtemp(prefix='mes-bench-chromium-')
    driver = start_browser(profile)
    try:
        if token:
            # same origin, nothing of the app loaded: only to put the pairing in storage
            driver.get(proxy.url + '/mes/api/versions')
            driver.execute_script('localStorage.setItem(arguments[0], arguments[1])', TOKEN_KEY, token)
        driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': FIRST_SCREEN_PROBE})
        proxy.reset()
        driver.get(proxy.url + '/mes/terminal')
        deadline = time.time() + 30
        first = None
        while time.time() < deadline and not first:
            first = driver.execute_script('return window.__mesFirstScreen || null')
            if not first:
                time.sleep(0.02)
        down_at_first = proxy.down
        # then until the service worker is active and the wire has been quiet for 2 s
        while time.time() < deadline:
            sw = driver.execute_script('return document.body.dataset.sw')
            if sw in ('ready', 'failed', 'unsupported') and time.time() - proxy.last > 2.0:
                break
            time.sleep(0.1)
        fcp = driver.execute_script(
            "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null")
        sw = driver.execute_script('return document.body.dataset.sw')
        return {'first_ms': first and first['at'], 'screen': first and first['screen'], 'fcp_ms': fcp,
                'down_first': down_at_first, 'down': proxy.down, 'up': proxy.up, 'sw': sw}
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    B.say('## 8. Terminal: bytes of a cold load of /mes/terminal and time to first render (headless Chromium)')
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        B.say('  %s missing (Debian packages chromium, chromium-driver)' % ', '.join(missing))
    db, floor = B.floor_copy('terminal')
    server = B.OdooServer(db, workers=2, name='terminal').start()
    graph = module_graph(server.url)
    B.say('  files the page references (HTML, CSS, modules, manifest, icon): %d, %.1f KB with headers'
          % (len(graph), sum(graph.values()) / 1024.0))
    for url, size in sorted(graph.items(), key=lambda kv: -kv[1]):
        B.say('    %7.1f KB  %s' % (size / 1024.0, url[len(server.url):]))
    sw = requests.get(server.url + '/mes/terminal/sw.js', timeout=30)
    precache = re.search(r'const ASSETS = (\[.*?\]);', sw.text)
    B.say('  service worker %.1f KB; it precaches %s' % (len(sw.content) / 1024.0,
                                                         precache.group(1) if precache else '(list not found)'))
    if missing:
        server.stop()
        B.figure('8a', 'terminal cold load, bytes', 'not measured (no Chromium)', '< %d KB' % TARGET_KB, False)
        B.figure('8b', 'terminal time to first render', 'not measured (no Chromium)', '< %d ms' % TARGET_MS, False)
        return
    proxy = CountingProxy(server.port)
    loads = {'new tablet': [], 'paired tablet': []}
    for run in range(RUNS):
        for kind in loads:
            loads[kind].append(cold_load(proxy, floor['tokens'][0] if kind == 'paired tablet' else None))
    proxy.close()
    errors = server.errors_in_log()
    server.stop()
    worst_kb, worst_ms = 0.0, 0.0
    for kind, runs in loads.items():
        firsts = [r['first_ms'] for r in runs if r['first_ms'] is not None]
        fcps = [r['fcp_ms'] for r in runs if r['fcp_ms'] is not None]
        total_kb = [r['down'] / 1024.0 for r in runs]
        B.say('  %s (%s screen; service worker %s), %d cold loads, min / median / max:' % (
            kind, runs[0]['screen'], runs[0]['sw'], len(runs)))
        B.say('    first screen %s ms; first contentful paint %s ms' % (
            B.spread(firsts, '%.0f') if firsts else 'never', B.spread(fcps, '%.0f') if fcps else 'none'))
        B.say('    bytes to the browser: %s KB until the first screen, %s KB in all (service worker install '
              'included); %s KB sent by the browser' % (
                  B.spread([r['down_first'] / 1024.0 for r in runs]), B.spread(total_kb),
                  B.spread([r['up'] / 1024.0 for r in runs])))
        worst_kb = max(worst_kb, statistics.median(total_kb))
        worst_ms = max(worst_ms, statistics.median(firsts) if len(firsts) == len(runs) else float('inf'))
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    B.figure('8a', 'terminal cold load, bytes transferred (median; worse of new and paired tablet)',
             '%.1f KB' % worst_kb, '< %d KB' % TARGET_KB, worst_kb < TARGET_KB)
    B.figure('8b', 'terminal time to first render, headless Chromium (median; worse of new and paired)',
             '%.0f ms' % worst_ms, '< %d ms' % TARGET_MS, worst_ms < TARGET_MS)


if __name__ == '__main__':
    main()
