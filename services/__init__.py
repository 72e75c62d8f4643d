"""Plain-Python rules of the MES (no Odoo import): contract parsing, ordering, intervals.

Kept free of the ORM so they can be tested with plain pytest in milliseconds.
"""
