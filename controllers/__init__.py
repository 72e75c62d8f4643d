from . import api
from . import terminal_page
