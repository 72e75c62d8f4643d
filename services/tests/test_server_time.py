"""Datetimes as Odoo stores them (services/server_time.py), the same as Odoo 11's fields.Datetime."""
from datetime import datetime

from services import server_time


def test_parse():
    assert server_time.parse('2026-11-24 06:59:58') == datetime(2026, 11, 24, 6, 59, 58)
    assert server_time.parse('2026-11-24 06:59:58.123456') == datetime(2026, 11, 24, 6, 59, 58)   # to the second
    assert server_time.parse('2026-11-24') == datetime(2026, 11, 24)
    assert server_time.parse(False) is None and server_time.parse('') is None


def test_text():
    assert server_time.text(datetime(2026, 11, 24, 6, 59, 58, 999999)) == '2026-11-24 06:59:58'
    assert server_time.text(None) is False


def test_iso_as_the_contract_writes_times():
    assert server_time.iso('2026-11-24 06:59:58') == '2026-11-24T06:59:58.000Z'
    assert server_time.iso(datetime(2026, 11, 24, 6, 59, 58, 120000)) == '2026-11-24T06:59:58.120Z'
    assert server_time.iso(False) is None and server_time.iso(None) is None
