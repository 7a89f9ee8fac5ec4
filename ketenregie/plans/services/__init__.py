"""Writes of the execution phase (being split into modules by what they do)."""

from ketenregie.plans.services.meetings import *  # noqa: F403
