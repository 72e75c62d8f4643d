"""A real Chromium driven by selenium through Debian's chromedriver, against the live Odoo
server of tests/conftest.py. Nothing is downloaded at run time; when Chromium or chromedriver
is missing the browser tests fail and say how to install them."""
import os
import shutil
import tempfile
import time

import pytest

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
LOCAL = os.path.join(ROOT, '.local')

CHROMIUM = os.environ.get('MES_CHROMIUM') or '/usr/bin/chromium'
CHROMEDRIVER = os.environ.get('MES_CHROMEDRIVER') or '/usr/bin/chromedriver'
SCREENSHOTS = os.path.join(ROOT, 'docs', 'screenshots')
WIDTH, HEIGHT = 1280, 800
FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
         '--window-size=%d,%d' % (WIDTH, HEIGHT), '--lang=en-US', '--force-device-scale-factor=1']


def _missing():
    problems = []
    for path, package in ((CHROMIUM, 'chromium'), (CHROMEDRIVER, 'chromium-driver')):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            problems.append('%s not found (Debian package %s)' % (path, package))
    return problems


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, 'rep_' + report.when, report)


def new_chromium(log_types=('browser',), page_load_timeout=30):
    """Debian's Chromium through chromedriver, with a new profile (empty storage, no service
    worker): (driver, profile folder). ``log_types`` are the logs it records ('performance' for
    every HTTP answer)."""
    problems = _missing()
    if problems:
        pytest.fail('The browser tests need Debian\'s Chromium and chromedriver: %s. Install them with '
                    '`WITH_BROWSER=1 bash scripts/setup.sh` (as root: apt-get install chromium chromium-driver).'
                    % '; '.join(problems), pytrace=False)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        pytest.fail('selenium is not installed (%s): run `bash scripts/setup.sh`, requirements.txt pins it.' % exc,
                    pytrace=False)
    profile = tempfile.mkdtemp(prefix='mes-chromium-')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + ['--user-data-dir=%s' % profile]:
        options.add_argument(flag)
    options.set_capability('goog:loggingPrefs', {log_type: 'ALL' for log_type in log_types})
    log_path = os.path.join(LOCAL, 'logs', 'chromedriver.log')
    service = Service(executable_path=CHROMEDRIVER, log_output=log_path)
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except Exception as exc:  # say what failed, not a bare traceback
        shutil.rmtree(profile, ignore_errors=True)
        pytest.fail('Chromium did not start through chromedriver (%s); see %s' % (exc, log_path), pytrace=False)
    driver.set_page_load_timeout(page_load_timeout)
    return driver, profile


@pytest.fixture
def browser(request, live_server):
    """A fresh Chromium (new profile: empty storage, no service worker) per test."""
    driver, profile = new_chromium()
    driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                           {'width': WIDTH, 'height': HEIGHT, 'deviceScaleFactor': 1, 'mobile': False})
    terminal = Terminal(driver, live_server)
    yield terminal
    failed = getattr(request.node, 'rep_call', None)
    if failed is not None and failed.failed:
        try:
            os.makedirs(os.path.join(LOCAL, 'logs'), exist_ok=True)
            driver.save_screenshot(os.path.join(LOCAL, 'logs', 'browser-failure-%s.png' % request.node.name))
            for entry in driver.get_log('browser'):
                print('[chromium %s] %s' % (entry['level'], entry['message']))
            print('[body] %s' % driver.execute_script('return JSON.stringify(document.body.dataset)'))
            print('[banners] %s' % driver.execute_script('return document.getElementById("banners").innerText'))
        except Exception as exc:  # best effort: the test's own failure is what counts
            print('could not collect the browser state: %s' % exc)
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Terminal:
    """The operator's view of the app, with explicit waits on DOM state."""

    def __init__(self, driver, server):
        self.driver, self.server = driver, server

    # -- waiting and finding ---------------------------------------------------------------
    def wait(self, condition, timeout=20, message=''):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda d: condition(), message or getattr(condition, '__name__', 'condition'))

    def find(self, css, timeout=20):
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By

        def visible():
            try:
                for element in self.driver.find_elements(By.CSS_SELECTOR, css):
                    if element.is_displayed():
                        return element
            except StaleElementReferenceException:
                return None
            return None
        return self.wait(visible, timeout, 'no visible element matches %s' % css)

    def present(self, css):
        from selenium.webdriver.common.by import By
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def tap(self, css, timeout=20):
        """Click the visible, enabled element; retried if the screen was rebuilt under it."""
        from selenium.common.exceptions import (ElementClickInterceptedException,
                                                StaleElementReferenceException)
        deadline = time.time() + timeout
        while True:
            element = self.find(css, max(1, deadline - time.time()))
            try:
                if element.is_enabled():
                    element.click()
                    return
            except (StaleElementReferenceException, ElementClickInterceptedException):
                pass
            if time.time() > deadline:
                raise AssertionError('%s stayed disabled or covered' % css)
            time.sleep(0.1)

    def text(self, css, timeout=20):
        """The visible element's text; read again when the screen was rebuilt between finding
        the element and reading it (the app re-renders on every answer and poll)."""
        from selenium.common.exceptions import StaleElementReferenceException
        deadline = time.time() + timeout
        while True:
            element = self.find(css, max(1, deadline - time.time()))
            try:
                return element.text
            except StaleElementReferenceException:
                if time.time() > deadline:
                    raise

    def wait_text(self, css, expected, timeout=20):
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By

        def has_text():
            try:
                return any(expected in e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css))
            except StaleElementReferenceException:
                return False
        return self.wait(has_text, timeout, '%r never showed %r' % (css, expected))

    def body(self, name):
        return self.driver.execute_script('return document.body.dataset[arguments[0]]', name)

    def wait_body(self, name, value, timeout=20):
        return self.wait(lambda: self.body(name) == value, timeout,
                         'body data-%s never became %r (is %r)' % (name, value, self.body(name)))

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        # no passing toast or focus ring in the documentation pictures
        self.driver.execute_script(
            'const toast = document.getElementById("flash"); if (toast) toast.remove();'
            'const el = document.activeElement; if (el && el.id !== "badge-input" && el.blur) el.blur();')
        png = self.driver.get_screenshot_as_png()
        try:   # a flat dark UI needs few colours: a palette PNG is a third of the size
            import io
            from PIL import Image
            image = Image.open(io.BytesIO(png)).convert('RGB').quantize(colors=128, method=Image.MEDIANCUT)
            out = io.BytesIO()
            image.save(out, 'PNG', optimize=True)
            png = out.getvalue()
        except ImportError:
            pass
        with open(os.path.join(SCREENSHOTS, name + '.png'), 'wb') as handle:
            handle.write(png)

    # -- the operator's steps --------------------------------------------------------------
    def open(self):
        self.driver.get(self.server.url + '/mes/terminal')
        self.wait(lambda: self.body('screen') not in (None, 'boot'), 30, 'the app never started')

    def set_up(self, token, screenshot=False):
        self.open()
        self.wait_body('screen', 'setup')
        field = self.find('#token-input')
        field.send_keys(token)
        if screenshot:
            self.screenshot('setup')
        self.tap('#setup-save')
        self.wait_body('screen', 'login')

    def keypad(self, digits, then_closed=True):
        self.find('#keypad-display')
        for char in digits:
            self.tap('.keypad [data-key="%s"]' % char)
        self.tap('.keypad [data-key="ok"]')
        if then_closed:
            self.wait(lambda: not self.present('.modal-backdrop'), 10, 'the keypad did not close')
        else:
            self.wait(lambda: not self.present('.keypad'), 10, 'the keypad did not close')

    def login_pin(self, employee_id, pin):
        self.tap('[data-employee-id="%d"]' % employee_id)
        self.find('#keypad-display')
        self.keypad(pin)

    def login_badge(self, badge):
        from selenium.webdriver.common.keys import Keys
        field = self.find('#badge-input')
        field.send_keys(badge + Keys.ENTER)   # a keyboard-wedge scanner types the code, then Enter
        self.wait_body('screen', 'queue')

    def scan_badge_anywhere(self, badge):
        """A scanner typing while the focus is not in the badge field (the operator tapped
        elsewhere): the keys still reach the field."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        self.find('#badge-input')
        self.driver.execute_script('document.activeElement.blur()')
        ActionChains(self.driver).send_keys(badge + Keys.ENTER).perform()
        self.wait_body('screen', 'queue')

    def open_workorder(self, workorder_id):
        self.tap('[data-wo-id="%d"]' % workorder_id)
        self.wait_body('screen', 'workorder')
        self.find('.wo-screen[data-loaded="detail"]')   # the server's detail, not the queue's summary

    def action(self, name):
        self.tap('[data-action="%s"]' % name)

    def pick_reason(self, code):
        self.tap('[data-reason="%s"]' % code)
        self.wait(lambda: not self.present('.modal-backdrop'), 10, 'the reason picker did not close')

    def wait_outbox_empty(self, timeout=60):
        self.wait_body('outbox', '0', timeout)

    def wait_sw(self, timeout=30):
        self.wait(lambda: self.driver.execute_script('return !!navigator.serviceWorker.controller'), timeout,
                  'the service worker never took control of the page')
