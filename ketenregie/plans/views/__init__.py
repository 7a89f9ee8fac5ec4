"""Pages of the execution phase (being split into modules by what they do)."""

from ketenregie.plans.views.case_meetings import *  # noqa: F403
