"""Shared model building blocks: no domain concepts live here."""

from __future__ import annotations

from django.db import models


class VersionedModel(models.Model):
    """A row edited through forms: `version` guards against silent lost updates.

    The edit form carries the version it was loaded with; the update service refuses
    the write when the row has moved on in the meantime.
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
