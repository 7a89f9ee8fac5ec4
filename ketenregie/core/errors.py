"""Errors that services raise and views turn into Dutch messages on the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(ValidationError):
    """Someone else saved the same record after this form was opened."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Iemand anders heeft dit gegeven opgeslagen nadat u het opende. Uw invoer "
                "staat hieronder en is niet opgeslagen. Kijk in een ander tabblad wat er "
                "veranderd is; opnieuw opslaan vervangt daarna de wijziging van de ander."
            ),
            code="concurrent_edit",
        )


class TransitionNotAllowed(ValidationError):
    """A workflow transition that the transition table does not allow."""
