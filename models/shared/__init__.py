"""What every capability uses: access checks, the reader's language, the plant's time, the
company's settings."""
from . import res_company
