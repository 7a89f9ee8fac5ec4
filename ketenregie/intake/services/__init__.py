"""Every intake write (being split into modules by what they do)."""

from ketenregie.intake.services.referral import *  # noqa: F403
