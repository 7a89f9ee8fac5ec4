"""Errors that services raise and views turn into Dutch messages on the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(ValidationError):
    """Someone else saved the same record after this form was opened."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Iemand anders heeft dit gegeven intussen gewijzigd. Uw invoer is bewaard; "
                "bekijk de actuele gegevens en sla opnieuw op."
            ),
            code="concurrent_edit",
        )


class TransitionNotAllowed(ValidationError):
    """A workflow transition that the transition table does not allow."""
