"""The plant's local time on the quality screens (issue 20, item 6: one time zone, the plant's,
on screen and in the PDF, whoever looks).

Odoo's web client shows a datetime in the browser's time zone; the SPC chart and its PDF show
the plant's (the company's, ``mes.quality.point._spc_tz``). A model lists its display fields
``{char field: stored naive-UTC datetime field}``; the char reads "2026-11-24 08:20 CET", the
UTC column stays for filters and grouping, and sorting by the char sorts by that column (so the
list's column header sorts, which Odoo refuses for a computed field: services/display_sort.py).
"""
import pytz

from odoo import fields

FORMAT = '%Y-%m-%d %H:%M %Z'


def compute(records, pairs):
    """Fill each display field of ``records`` from its UTC field, in the plant's time zone."""
    tz = records.env['mes.quality.point']._spc_tz()
    for record in records:
        for display, utc in pairs.items():
            value = record[utc]
            if value and isinstance(value, str):
                value = fields.Datetime.from_string(value)
            record[display] = pytz.utc.localize(value).astimezone(tz).strftime(FORMAT) if value else False
