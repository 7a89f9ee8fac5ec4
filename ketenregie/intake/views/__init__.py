"""Intake pages (being split into modules by what they do)."""

from ketenregie.intake.views.referral import *  # noqa: F403
