"""The data-sharing register: `record_exchange` is the one entry point every exchange of
personal data calls, inside the transaction (or the request) that shares it.

It sits in the cases layer because the apps that share (intake: bekendheidscheck answers
and attachments; pga: the escalation to a ZVH; plans: meetings, minutes, PDFs) may not
import privacy, which only reads the register (its FG page and CSV export).

Two kinds of basis (issue 13): where a person chooses (a bekendheidscheck answer, the
escalation), the caller passes the grounds its form asked for, and they are checked again
here by the one rule (`cases.grounds.sharing_errors`); where the kind of exchange fixes
it, the house's `ExchangeBasis` for that kind is recorded, or `DEFAULT_BASES` while the
house has fixed none (recorded as such, so the FG sees what is still unset).

The row is written in the caller's transaction, next to the caller's own audit event for
the same moment; it is not audited a second time (the register is the record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.accounts.models import House, Organisation, User
from ketenregie.cases.grounds import (
    LegalBasis,
    SecrecyGround,
    SpecialCategoryException,
    sharing_errors,
)
from ketenregie.cases.models import Case, ExchangeBasis, ExchangeKind, SharingRecord

# Who shared, when no user did (a management command).
SYSTEM_LABEL = "systeem"
# Kinds where the person sharing chooses the basis on the form; the rest are fixed.
CHOSEN_KINDS = frozenset({ExchangeKind.ENRICHMENT_ANSWER, ExchangeKind.ESCALATION})
# Kinds recorded when someone takes data out of the house's file by a download (a GET):
# like the audit trail's read events, the row is the record of the receipt, so these are
# the only register rows a GET may write (ketenregie/tests/test_get_is_safe.py).
RECEIPT_KINDS = frozenset(
    {ExchangeKind.PLAN_PDF, ExchangeKind.SAFETY_PLAN_PDF, ExchangeKind.ATTACHMENT}
)


@dataclass(frozen=True)
class Grounds:
    """Purpose and legal basis of one exchange (AVG art. 6; art. 9/10; beroepsgeheim)."""

    purpose: str
    legal_basis: str
    special_category: str = ""
    secrecy_ground: str = ""
    necessity: str = ""


# A house that has fixed nothing yet: its task of general interest under the WGS (Wet
# gegevensverwerking door samenwerkingsverbanden) with the art. 9 lid 2g exception, the
# basis of the house's case work (DOMAIN.md section 3; a covenant is no basis).
_HOUSE_TASK = Grounds(
    purpose="",
    legal_basis=LegalBasis.PUBLIC_TASK,
    special_category=SpecialCategoryException.SUBSTANTIAL_PUBLIC_INTEREST,
)
DEFAULT_PURPOSES: dict[str, str] = {
    ExchangeKind.MEETING_INVITATION: "casusoverleg",
    ExchangeKind.MINUTES_SENT: "verslag casusoverleg aan het casusteam",
    ExchangeKind.PLAN_PDF: "uitvoering plan van aanpak",
    ExchangeKind.SAFETY_PLAN_PDF: "uitvoering veiligheidsplan",
    ExchangeKind.ATTACHMENT: "beoordeling aanmelding",
    ExchangeKind.SUBJECT_ACCESS: "inzageverzoek betrokkene (AVG art. 15)",
}
# Kinds whose default basis is not the house's task: handing the person their own data
# is the controller's legal obligation (AVG art. 15, art. 6 lid 1c).
DEFAULT_LEGAL_OBLIGATION = frozenset({ExchangeKind.SUBJECT_ACCESS})


def fixed_grounds(house: House, kind: str) -> tuple[Grounds, SharingRecord.Source]:
    """The basis the house fixed for `kind`, or the default, with where it came from."""
    basis = ExchangeBasis.objects.filter(house=house, kind=kind).first()
    if basis is not None:
        grounds = Grounds(
            purpose=basis.purpose,
            legal_basis=basis.legal_basis,
            special_category=basis.special_category,
            secrecy_ground=basis.secrecy_ground,
            necessity=basis.necessity,
        )
        return grounds, SharingRecord.Source.HOUSE
    if kind in DEFAULT_LEGAL_OBLIGATION:
        default = Grounds(purpose=DEFAULT_PURPOSES[kind], legal_basis=LegalBasis.LEGAL_OBLIGATION)
        return default, SharingRecord.Source.DEFAULT
    default = Grounds(
        purpose=DEFAULT_PURPOSES[kind],
        legal_basis=_HOUSE_TASK.legal_basis,
        special_category=_HOUSE_TASK.special_category,
    )
    return default, SharingRecord.Source.DEFAULT


@transaction.atomic
def record_exchange(
    kind: str,
    *,
    actor: User | None,
    case: Case,
    to_label: str,
    to_organisations: Iterable[Organisation | None] = (),
    recipients: int = 1,
    from_house: bool = False,
    grounds: Grounds | None = None,
    person_informed: bool | None = None,
    not_informed_reason: str = "",
) -> SharingRecord:
    """Append one row to the register for an exchange about `case`.

    `from_house`: the data leaves the house's file (a download) rather than the actor's
    organisation. `grounds` is required for the kinds where a person chooses and refused
    for the fixed kinds (their basis is the house's, not the caller's). `actor` None: a
    management command run by the system (the subject access export's script form).
    """
    organisation = actor.organisation if actor is not None else None
    if kind in CHOSEN_KINDS:
        if grounds is None:
            raise ValidationError({"legal_basis": _("Kies de grondslag (AVG art. 6).")})
        errors = sharing_errors(
            domain=organisation.domain if organisation else "",
            shares=True,
            legal_basis=grounds.legal_basis,
            special_category=grounds.special_category,
            secrecy_ground=grounds.secrecy_ground,
        )
        if errors:
            raise ValidationError(errors)
        source = SharingRecord.Source.CHOSEN
    else:
        if grounds is not None:
            raise ValueError(f"{kind} has a fixed basis: the house sets it, not the caller")
        grounds, source = fixed_grounds(case.house, kind)
    special = grounds.special_category
    row = SharingRecord(
        occurred_at=timezone.now(),
        kind=kind,
        case=case,
        case_code=case.code,
        house=case.house,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM_LABEL,
        from_label=case.house.name if from_house or organisation is None else organisation.name,
        from_organisation=None if from_house else organisation,
        to_label=to_label[:300],
        recipients=recipients,
        identifying=True,
        special_categories=bool(special) and special != SpecialCategoryException.CRIMINAL_DATA_LAW,
        criminal_data=special == SpecialCategoryException.CRIMINAL_DATA_LAW,
        secrecy_bound=grounds.secrecy_ground != SecrecyGround.NOT_APPLICABLE,
        purpose=grounds.purpose.strip()[:200],
        legal_basis=grounds.legal_basis,
        special_category=special,
        secrecy_ground=grounds.secrecy_ground,
        basis_source=source,
        necessity=grounds.necessity,
        person_informed=person_informed,
        not_informed_reason=not_informed_reason.strip(),
    )
    row.save()
    orgs = {o.pk for o in to_organisations if o is not None}
    if orgs:
        row.to_organisations.set(orgs)
    return row


# Reading the register (the privacy officer's page and CSV export).

# The data categories a row can carry, as filter values -> the row's flag.
CATEGORY_FIELDS = {
    "identificerend": "identifying",
    "bijzonder": "special_categories",
    "strafrechtelijk": "criminal_data",
    "beroepsgeheim": "secrecy_bound",
}
CATEGORY_CHOICES = [
    ("identificerend", gettext_lazy("Identificerende gegevens")),
    ("bijzonder", gettext_lazy("Bijzondere gegevens (art. 9)")),
    ("strafrechtelijk", gettext_lazy("Strafrechtelijke gegevens (art. 10)")),
    ("beroepsgeheim", gettext_lazy("Onder beroepsgeheim")),
]


def register_rows(
    *,
    house_ids: QuerySet[Any, int] | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    house: House | None = None,
    organisation: Organisation | None = None,
    kind: str = "",
    legal_basis: str = "",
    category: str = "",
) -> QuerySet[SharingRecord]:
    """The register's rows matching every filter, newest first, within `house_ids` (None:
    every house)."""
    qs = SharingRecord.objects.all()
    if house_ids is not None:
        qs = qs.filter(house_id__in=house_ids)
    if house is not None:
        qs = qs.filter(house=house)
    if organisation is not None:
        sent_to = SharingRecord.to_organisations.through.objects.filter(
            sharingrecord_id=OuterRef("pk"), organisation_id=organisation.pk
        )
        qs = qs.filter(Q(from_organisation=organisation) | Exists(sent_to))
    if kind:
        qs = qs.filter(kind=kind)
    if legal_basis:
        qs = qs.filter(legal_basis=legal_basis)
    if category in CATEGORY_FIELDS:
        qs = qs.filter(**{CATEGORY_FIELDS[category]: True})
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__lt=end)
    return qs.select_related("house", "from_organisation").order_by("-occurred_at", "-pk")


def totals_per_basis(rows: QuerySet[SharingRecord]) -> list[tuple[str, int]]:
    """How many exchanges rest on each legal basis, largest first (label, count)."""
    counts = rows.order_by().values("legal_basis").annotate(n=Count("pk")).order_by("-n")
    labels = dict(LegalBasis.choices)
    return [(str(labels.get(c["legal_basis"], c["legal_basis"])), c["n"]) for c in counts]


def exchanges_for_cases(case_ids: Iterable[int]) -> QuerySet[SharingRecord]:
    """The register's rows about the given cases, oldest first, with the receiving
    organisations: the recipients of a person's data (the subject access export)."""
    return (
        SharingRecord.objects.filter(case_id__in=list(case_ids))
        .prefetch_related("to_organisations")
        .order_by("occurred_at", "pk")
    )
