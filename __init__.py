# pytest (tests/conftest.py) also imports this folder under its plain name, shopfloor_mes: the
# addon loads under Odoo's name only, or pytest-odoo's registry would hold each class twice.
if __name__.startswith('odoo.addons.'):
    from . import models
    from . import wizards
    from . import report
    from . import controllers
    from .hooks import post_init_hook
