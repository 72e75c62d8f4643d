"""Datetimes as Odoo stores them ('2026-11-24 06:59:58', naive UTC), without the ORM: the same
conversions as Odoo 11's ``fields.Datetime.from_string`` / ``to_string``, and the contract's
ISO form of a stored time."""
from datetime import datetime

from .contract import format_time

FORMAT = '%Y-%m-%d %H:%M:%S'


def parse(value):
    """Stored text -> naive datetime (None for an empty value); a date alone is its midnight,
    fractions of a second are dropped, as Odoo reads them."""
    if not value:
        return None
    value = value[:len('2026-11-24 06:59:58')]
    if len(value) == len('2026-11-24'):
        value += ' 00:00:00'
    return datetime.strptime(value, FORMAT)


def text(moment):
    """Naive datetime -> stored text (False for no time, as Odoo writes an empty value)."""
    return moment.strftime(FORMAT) if moment else False


def stamp(moment):
    """A recorded time (the fold's state and snapshot), to the microsecond (isoformat is
    strftime's '%Y-%m-%d %H:%M:%S.%f' for years from 1000, several times faster)."""
    return moment.isoformat(sep=' ', timespec='microseconds') if moment else None


def moment(text):
    """A recorded time read back (``stamp``'s text)."""
    return datetime.fromisoformat(text) if text else None


def iso(value):
    """A stored time (text or datetime) as the terminal contract writes times; None when empty."""
    if not value:
        return None
    if isinstance(value, str):
        value = parse(value)
    return format_time(value)
