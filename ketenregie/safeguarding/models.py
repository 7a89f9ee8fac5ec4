"""The safeguarding app's models; each instrument keeps its own module, imported here so
Django finds them."""

from ketenregie.safeguarding.meldcode_models import *  # noqa: F403
from ketenregie.safeguarding.vi_models import *  # noqa: F403
