"""Which day of the books a fact belongs to: its own day in the plant's time zone, moved to the
first open day when that day's period is locked. Plain Python, no ORM."""
from datetime import date, datetime, timedelta

import pytz


class BooksClosed(Exception):
    """Every day up to today is locked: no open day to book a fact on."""


def fact_day(moment, tz_name):
    """The plant's calendar day of ``moment`` (a naive UTC datetime)."""
    zone = pytz.timezone(tz_name or 'UTC')
    return pytz.utc.localize(moment).astimezone(zone).date()


def first_open_day(lock_day):
    """The first day a new entry may carry, given the last locked day (or None)."""
    return lock_day + timedelta(days=1) if lock_day else None


def books_day(day, lock_day, today):
    """The day an entry for facts of ``day`` is dated: ``day`` itself, or the first open day when
    ``day`` is locked. Raises ``BooksClosed`` when even today is locked."""
    opened = first_open_day(lock_day)
    if opened and opened > today:
        raise BooksClosed(lock_day)
    if opened and day < opened:
        return opened
    return day


def as_date(value):
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return datetime.strptime(value[:10], '%Y-%m-%d').date()
