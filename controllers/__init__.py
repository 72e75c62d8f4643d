from . import plain_json
from . import api
from . import terminal_page
from . import terminal_api
