"""The addon's models, one folder per capability (README, "Map of the code"). Order matters
only where one capability extends a model another defines or overrides the same method: the
guard comes last so that its refusals run before any other override."""
from . import shared
from . import terminal
from . import events
from . import execution
from . import posting
from . import quality
from . import oee
from . import maintenance
from . import guard
