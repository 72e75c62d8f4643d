"""Terminals and who logs in on them: tablets and machines with hashed tokens, operators with
badge and PIN, and the reasons they pick from."""
from . import mes_reason
from . import hr_employee
from . import mes_terminal
