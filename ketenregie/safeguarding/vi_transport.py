"""Where a Verwijsindex signal goes: one adapter interface, one in-house implementation.

The national design is regional indexes ("Verwijsindex risicojongeren") that receive a
signal as a standard message and answer with matches. Today this product is its own index:
`InHouseIndex` matches the signals it holds. A regional link is a second class with the
same two methods that sends the message, keeps the index's key in `external_id` and turns
its match messages into `VerwijsindexMatch` rows (ADR 30).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from ketenregie.audit import services as audit
from ketenregie.core.timeutil import today
from ketenregie.safeguarding.vi_models import (
    Transport,
    TransportState,
    VerwijsindexMatch,
    VerwijsindexSignal,
)
from ketenregie.safeguarding.vi_rules import consultation_due

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


class SignalIndex(Protocol):
    transport: str

    def submit(self, signal: VerwijsindexSignal, *, actor: User) -> list[VerwijsindexMatch]:
        """Hand a new signal to the index; the matches it made now."""

    def withdraw(self, signal: VerwijsindexSignal, *, actor: User) -> None:
        """Tell the index the signal has ended."""


class InHouseIndex:
    """The index in this database: a match is another active signal on the same person by
    another professional, in any case or house."""

    transport: str = Transport.IN_HOUSE

    def submit(self, signal: VerwijsindexSignal, *, actor: User) -> list[VerwijsindexMatch]:
        now = timezone.now()
        others = (
            VerwijsindexSignal.objects.select_for_update()
            .filter(person_id=signal.person_id, expires_on__gt=today())
            .exclude(signaller_id=signal.signaller_id)
            .exclude(pk=signal.pk)
            .order_by("pk")
        )
        matches = []
        for other in others:
            first, second = sorted((other, signal), key=lambda s: s.pk)
            match, created = VerwijsindexMatch.objects.get_or_create(
                first=first,
                second=second,
                defaults={"matched_at": now, "consultation_due": consultation_due(today())},
            )
            if created:
                # No case: the match is the two signallers' business, not either team's.
                audit.record(
                    "vi.match_made",
                    actor=actor,
                    obj=match,
                    data={
                        "signalen": [first.pk, second.pk],
                        "afstemming_uiterlijk": match.consultation_due.isoformat(),
                    },
                )
                matches.append(match)
        VerwijsindexSignal.objects.filter(pk=signal.pk).update(
            state=TransportState.ACCEPTED, sent_at=now, transport=self.transport
        )
        signal.state, signal.sent_at = TransportState.ACCEPTED, now
        return matches

    def withdraw(self, signal: VerwijsindexSignal, *, actor: User) -> None:
        # Nothing to send: an ended signal no longer matches (`expires_on` has come).
        return None


def current_index() -> SignalIndex:
    """The index signals go to (setting KETENREGIE_VI_TRANSPORT; only "lokaal" today)."""
    name = getattr(settings, "KETENREGIE_VI_TRANSPORT", Transport.IN_HOUSE)
    if name != Transport.IN_HOUSE:
        # A setting naming a transport that does not exist is a configuration error; the
        # regional link is a second implementation of SignalIndex (ADR 30).
        raise ImproperlyConfigured(
            f"KETENREGIE_VI_TRANSPORT={name!r}: unknown Verwijsindex transport (only "
            f"{Transport.IN_HOUSE.value!r} exists)"
        )
    return InHouseIndex()
