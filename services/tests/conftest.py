"""Plain pytest set-up for the ORM-free rules under ``services/``.

The repository root is the Odoo addon itself and its ``__init__.py`` imports Odoo, so the
package under test is imported as the top-level ``services`` package: put the repository root
(two levels up from this file's folder) first on ``sys.path``.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if not sys.path or sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)
