"""The books day of a fact: its day in the plant's time zone; a locked day moves to the first
open one; nothing is booked when even today is locked."""
from datetime import date, datetime

import pytest

from services import books


def test_a_fact_late_in_the_evening_utc_belongs_to_the_next_day_in_berlin():
    moment = datetime(2026, 11, 30, 23, 30)         # 00:30 on 1 December in Berlin
    assert books.fact_day(moment, 'Europe/Berlin') == date(2026, 12, 1)
    assert books.fact_day(moment, 'UTC') == date(2026, 11, 30)
    assert books.fact_day(moment, None) == date(2026, 11, 30)


def test_a_replay_across_month_end_books_each_fact_in_its_own_month():
    today = date(2026, 12, 3)
    assert books.books_day(date(2026, 11, 30), None, today) == date(2026, 11, 30)
    assert books.books_day(date(2026, 12, 1), None, today) == date(2026, 12, 1)


def test_a_fact_in_a_locked_period_moves_to_the_first_open_day():
    today = date(2026, 12, 3)
    locked_until = date(2026, 11, 30)
    assert books.books_day(date(2026, 11, 12), locked_until, today) == date(2026, 12, 1)
    assert books.books_day(date(2026, 12, 2), locked_until, today) == date(2026, 12, 2)


def test_when_even_today_is_locked_nothing_is_booked():
    with pytest.raises(books.BooksClosed):
        books.books_day(date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 3))
    assert books.books_day(date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)) == date(2026, 12, 3)


def test_dates_come_as_odoo_strings_or_objects():
    assert books.as_date('2026-11-30') == date(2026, 11, 30)
    assert books.as_date('2026-11-30 12:00:00') == date(2026, 11, 30)
    assert books.as_date(datetime(2026, 11, 30, 12)) == date(2026, 11, 30)
    assert books.as_date(date(2026, 11, 30)) == date(2026, 11, 30)
    assert books.as_date(None) is None
