"""The append-only audit trail with a hash chain.

An event is written unsealed (chain columns empty) with a keyed hash of its content,
and sealed shortly after its transaction commits (`audit.sealing`): it then gets its
place `seq` in the chain and the hash of its predecessor, so editing, deleting or
reordering rows is detectable by `manage.py verify_audit` (ADR 0010). The case is stored
as a plain id, not a foreign key: deleting a case (retention, a rejected referral) must
never touch the trail.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from ketenregie.audit import vocabulary


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    # Place in the chain, set when sealed; the order of writing is the id.
    seq = models.BigIntegerField(unique=True, null=True)
    occurred_at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    actor_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("handeling"), max_length=80, db_index=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    purpose = models.CharField(_("doel"), max_length=120, blank=True)
    data = models.JSONField(default=dict)
    # Keyed hash of the content, set when written: protects the row until it is sealed.
    body_hash = models.CharField(max_length=64, blank=True)
    # The database's clock when the row was written: how long a row has waited for its seal.
    recorded_at = models.DateTimeField(db_default=Now())
    prev_hash = models.CharField(max_length=64, null=True)
    hash = models.CharField(max_length=64, unique=True, null=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # Order of writing; `seq` is empty until the event is sealed.
        ordering = ["id"]
        verbose_name = _("auditgebeurtenis")
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            # The sealer's queue: small, whatever the size of the trail.
            models.Index(fields=["id"], condition=Q(seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    @property
    def action_label(self) -> str:
        return vocabulary.label(self.action)

    @property
    def is_read(self) -> bool:
        return vocabulary.kind(self.action) is vocabulary.Kind.READ


class AuditChainHead(models.Model):
    """A single row holding the newest sealed sequence number and hash.

    Sealing locks this row, which serialises sealers so the chain never forks (writing an
    event does not touch it); it also lets verification notice events cut off the end.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"kop #{self.seq}"


class EventTally(models.Model):
    """Counts security events that come in floods, per (action, subject, minute).

    The first event of its kind for a subject (an account, or an IP address when the
    account is unknown) in a minute is written to the trail at once; later ones in that
    minute only add to `extra` here, and `audit.flood.flush` writes them as one summary
    event once the minute is over. So a brute-force attack costs the trail at most two
    rows per subject and minute, while the counts still add up (ADR 13). Rows are
    transient: the summary event is the record, the tally is deleted with its writing.
    """

    action = models.CharField(max_length=80)
    subject = models.CharField(max_length=120)
    minute = models.DateTimeField()
    extra = models.PositiveIntegerField(default=0)
    # Who and what the summary event records: the first event's actor and data.
    actor_id = models.BigIntegerField(null=True)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "subject", "minute"], name="audit_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["minute"], name="audit_tally_minute")]

    def __str__(self) -> str:
        return f"{self.action} {self.subject} {self.minute:%H:%M} +{self.extra}"
