from . import plain_json
from . import api
from . import terminal_page
